namespace Klaviyo;

/// <summary>
/// Which signed timestamp <see cref="WebhookVerifier"/> checks for freshness. Both are covered by the signature, so
/// neither can be changed in transit; they differ only in where Klaviyo writes them.
/// </summary>
public enum WebhookTimestampSource
{
    /// <summary>
    /// The <c>Klaviyo-Timestamp</c> header, which Klaviyo documents as "when the webhook request was sent" (the default).
    /// </summary>
    Header,

    /// <summary>
    /// The body's <c>meta.timestamp</c> (ISO 8601), documented with the same meaning. Use it if the header's clock is
    /// off for your deliveries (see docs/webhooks.md): every delivery then reads as stale by a whole number of hours.
    /// </summary>
    Body,
}
