namespace Klaviyo;

/// <summary>
/// What <see cref="WebhookVerifier.Verify(ReadOnlySpan{byte}, Func{string, string}, DateTimeOffset)"/> concluded
/// about one delivery: a closed set a <c>switch</c> can match. <see cref="Valid"/> is the only outcome to process;
/// answer <see cref="BadSignature"/> and <see cref="Stale"/> with 401, <see cref="Malformed"/> with 400. Every
/// <see cref="Message"/> is meant for a person and never holds a secret or the expected signature.
/// </summary>
public abstract record WebhookVerification
{
    private WebhookVerification() { }

    /// <summary>What was concluded and, when it is not <see cref="Valid"/>, what to check; free of secrets.</summary>
    public abstract string Message { get; }

    /// <summary>Whether the delivery came from Klaviyo, unchanged, within the tolerance.</summary>
    public bool IsValid => this is Valid;

    /// <summary>The kind of outcome and its <see cref="Message"/>.</summary>
    public sealed override string ToString() => $"{GetType().Name}: {Message}";

    /// <summary>The delivery is authentic (signed with one of the secrets) and fresh.</summary>
    /// <param name="SentAt">When Klaviyo says it sent the delivery (from the checked timestamp).</param>
    /// <param name="SecretIndex">
    /// Which secret matched, counting from 0 in the order given to the verifier. During a key rotation this tells
    /// when the old secret stops being used.
    /// </param>
    public sealed record Valid(DateTimeOffset SentAt, int SecretIndex) : WebhookVerification
    {
        /// <inheritdoc />
        public override string Message =>
            $"verified: signed with secret #{SecretIndex + 1}, sent at {WebhookText.Instant(SentAt)}";
    }

    /// <summary>
    /// The signature does not match the body and timestamp under any configured secret: the body was altered (or
    /// re-encoded before verifying), the wrong secret is configured, or the request is not from Klaviyo.
    /// </summary>
    /// <param name="SecretsTried">How many secrets were tried.</param>
    public sealed record BadSignature(int SecretsTried) : WebhookVerification
    {
        /// <inheritdoc />
        public override string Message =>
            $"the {WebhookVerifier.SignatureHeader} header does not match this body and {WebhookVerifier.TimestampHeader} "
            + $"under {(SecretsTried == 1 ? "the configured secret" : $"any of the {SecretsTried} configured secrets")}. "
            + "Verify the raw body bytes exactly as received (before any JSON parsing or model binding), and check that "
            + "the secret is the secret_key the webhook was created with; otherwise the request did not come from Klaviyo.";
    }

    /// <summary>
    /// The delivery is authentic but its timestamp is further from now than the tolerance, in either direction: a
    /// replay, a long-delayed delivery, or a clock that is off.
    /// </summary>
    /// <param name="SentAt">When the delivery says it was sent.</param>
    /// <param name="Now">The time it was checked against.</param>
    /// <param name="Tolerance">The largest accepted distance between the two.</param>
    /// <param name="Source">Which timestamp was checked.</param>
    public sealed record Stale(
        DateTimeOffset SentAt,
        DateTimeOffset Now,
        TimeSpan Tolerance,
        WebhookTimestampSource Source
    ) : WebhookVerification
    {
        /// <summary>How long before <see cref="Now"/> the delivery was sent; negative when it is dated in the future.</summary>
        public TimeSpan Age => Now - SentAt;

        /// <inheritdoc />
        public override string Message
        {
            get
            {
                var where =
                    Source == WebhookTimestampSource.Header
                        ? WebhookVerifier.TimestampHeader
                        : "meta.timestamp in the body";
                var found =
                    $"({where}: {WebhookText.Instant(SentAt)}, now: {WebhookText.Instant(Now)})";
                var limit = $"beyond the {WebhookText.Duration(Tolerance)} tolerance";
                var hours =
                    Source == WebhookTimestampSource.Header && WholeHours(Age)
                        ? " The gap is close to a whole number of hours: the header may carry a local time labelled GMT; "
                            + "if every delivery shows the same gap, set TimestampSource = WebhookTimestampSource.Body (see docs/webhooks.md)."
                        : "";
                return Age >= TimeSpan.Zero
                    ? $"the delivery was sent {WebhookText.Duration(Age)} ago {found}, {limit}: a replay, a long-delayed "
                        + $"delivery, or a clock that is off. Check this server's clock (NTP).{hours}"
                    : $"the delivery is dated {WebhookText.Duration(-Age)} in the future {found}, {limit}: "
                        + $"check this server's clock (NTP).{hours}";
            }
        }

        private static bool WholeHours(TimeSpan age)
        {
            var distance = age.Duration();
            var off = distance.TotalMinutes % 60;
            return distance >= TimeSpan.FromMinutes(55) && (off <= 5 || off >= 55);
        }
    }

    /// <summary>
    /// The request is not a well-formed Klaviyo delivery: a header is missing, the signature is not 64 hex digits,
    /// or a timestamp does not parse. Nothing was verified.
    /// </summary>
    /// <param name="Reason">What is wrong, for a person; never echoes long or unprintable header values.</param>
    public sealed record Malformed(string Reason) : WebhookVerification
    {
        /// <inheritdoc />
        public override string Message => Reason;
    }
}
