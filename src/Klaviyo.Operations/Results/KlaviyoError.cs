using LanguageExt;

namespace Klaviyo;

/// <summary>
/// Why a call did not succeed: a closed set. The server said no (<see cref="Api"/>), the exchange failed
/// (<see cref="Transport"/>, <see cref="Timeout"/>), the caller cancelled (<see cref="Cancelled"/>), the input was
/// bad before anything was sent (<see cref="Validation"/>), or the response could not be decoded
/// (<see cref="Decode"/>). Every message is meant for a person and never holds a secret.
/// </summary>
public abstract record KlaviyoError
{
    private KlaviyoError() { }

    /// <summary>How many sends were made before this error (0 when nothing was sent).</summary>
    public int Attempts { get; init; } = 1;

    /// <summary>What went wrong, for a person; free of secrets.</summary>
    public abstract string Message { get; }

    /// <summary>
    /// Whether the failure is of a kind that may go away if the request is sent again: transport failures, timeouts,
    /// 5xx and 429 (<see cref="RetryPolicy.IsRetryable"/>, the one definition; the policy also keeps an ambiguous
    /// failure of a write from being resent).
    /// </summary>
    public bool IsRetryable => RetryPolicy.IsRetryable(this);

    /// <summary>The message, with the attempt count when more than one send was made.</summary>
    public override string ToString() =>
        Attempts > 1
            ? $"{GetType().Name}: {Message} (after {Attempts} attempts)"
            : $"{GetType().Name}: {Message}";

    /// <summary>Klaviyo answered with a non-2xx status.</summary>
    /// <param name="Response">The response, body decoded.</param>
    /// <param name="Errors">The JSON:API <c>errors</c> it carried.</param>
    /// <param name="Summary">A secret-free one-line summary.</param>
    public sealed record Api(KlaviyoResponse Response, Seq<KlaviyoApiError> Errors, string Summary)
        : KlaviyoError
    {
        /// <summary>The HTTP status code.</summary>
        public int StatusCode => Response.StatusCode;

        /// <inheritdoc />
        public override string Message => Summary;

        /// <inheritdoc />
        public override string ToString() => base.ToString();
    }

    /// <summary>The exchange failed: connection refused or reset, DNS, TLS, a truncated body.</summary>
    /// <param name="Reason">What failed, without secrets.</param>
    public sealed record Transport(string Reason) : KlaviyoError
    {
        /// <summary>
        /// Whether the request may have reached the server before the failure (then the server may have acted on
        /// it). <c>false</c> only when it is known that nothing was sent (the connection could not be made).
        /// </summary>
        public bool RequestSent { get; init; } = true;

        /// <inheritdoc />
        public override string Message => $"transport failure: {Reason}";

        /// <inheritdoc />
        public override string ToString() => base.ToString();
    }

    /// <summary>No complete response within the per-request timeout.</summary>
    /// <param name="After">The timeout that elapsed.</param>
    public sealed record Timeout(TimeSpan After) : KlaviyoError
    {
        /// <inheritdoc />
        public override string Message => $"no response within {After.TotalSeconds:0.###} s";

        /// <inheritdoc />
        public override string ToString() => base.ToString();
    }

    /// <summary>The caller's cancellation token was cancelled.</summary>
    public sealed record Cancelled : KlaviyoError
    {
        /// <inheritdoc />
        public override string Message => "cancelled by the caller";

        /// <inheritdoc />
        public override string ToString() => base.ToString();
    }

    /// <summary>Bad input, caught before anything was sent.</summary>
    /// <param name="Problems">Each problem, for a person.</param>
    public sealed record Validation(Seq<string> Problems) : KlaviyoError
    {
        /// <inheritdoc />
        public override string Message => "invalid request: " + string.Join("; ", Problems);

        /// <inheritdoc />
        public override string ToString() => base.ToString();
    }

    /// <summary>The response claimed to be JSON but was not (or did not fit the expected shape).</summary>
    /// <param name="Reason">What did not parse, and where.</param>
    /// <param name="StatusCode">The HTTP status of the response, or 0 when decoding a value after the fact.</param>
    /// <param name="Headers">The response headers.</param>
    /// <param name="RawText">The body as received.</param>
    public sealed record Decode(
        string Reason,
        int StatusCode,
        ResponseHeaders Headers,
        string RawText
    ) : KlaviyoError
    {
        /// <inheritdoc />
        public override string Message => $"undecodable response (status {StatusCode}): {Reason}";

        /// <inheritdoc />
        public override string ToString() => base.ToString();
    }

    /// <summary>
    /// A replayed fixture has no answer for the request: nothing was sent. Record the fixture again, or match
    /// differently (see docs/testing-with-fixtures.md).
    /// </summary>
    /// <param name="Request">The request, as matched (method, path and query; redacted).</param>
    /// <param name="Nearest">The nearest recorded requests, closest first.</param>
    /// <param name="Fixture">The fixture file.</param>
    /// <param name="Reason">Why it did not match (no such request, or every recorded answer already played).</param>
    public sealed record FixtureMiss(
        string Request,
        Seq<string> Nearest,
        string Fixture,
        string Reason
    ) : KlaviyoError
    {
        /// <inheritdoc />
        public override string Message =>
            $"{Reason}: {Request} (fixture '{Fixture}')"
            + (Nearest.IsEmpty ? "" : "; nearest recorded: " + string.Join(", ", Nearest))
            + "; record the fixture again to add it";

        /// <inheritdoc />
        public override string ToString() => base.ToString();
    }
}
