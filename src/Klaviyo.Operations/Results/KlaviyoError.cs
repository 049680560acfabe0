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

    /// <summary>Whether retrying the same request may succeed: transport failures, timeouts, 5xx and 429.</summary>
    public abstract bool IsRetryable { get; }

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
        public override bool IsRetryable => StatusCode is >= 500 or 429;

        /// <inheritdoc />
        public override string ToString() => base.ToString();
    }

    /// <summary>The exchange failed: connection refused or reset, DNS, TLS, a truncated body.</summary>
    /// <param name="Reason">What failed, without secrets.</param>
    public sealed record Transport(string Reason) : KlaviyoError
    {
        /// <inheritdoc />
        public override string Message => $"transport failure: {Reason}";

        /// <inheritdoc />
        public override bool IsRetryable => true;

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
        public override bool IsRetryable => true;

        /// <inheritdoc />
        public override string ToString() => base.ToString();
    }

    /// <summary>The caller's cancellation token was cancelled.</summary>
    public sealed record Cancelled : KlaviyoError
    {
        /// <inheritdoc />
        public override string Message => "cancelled by the caller";

        /// <inheritdoc />
        public override bool IsRetryable => false;

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
        public override bool IsRetryable => false;

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
        public override bool IsRetryable => StatusCode is >= 500 or 429;

        /// <inheritdoc />
        public override string ToString() => base.ToString();
    }
}
