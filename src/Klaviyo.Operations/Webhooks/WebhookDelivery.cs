using System.Text.Json;
using LanguageExt;

namespace Klaviyo;

/// <summary>
/// One system-webhook delivery, decoded from its body: the events it batches (Klaviyo sends up to 1,000 per request)
/// and the delivery's <see cref="Meta"/>. Decode it with <see cref="Decode"/> after the
/// <see cref="WebhookVerifier"/> found it <see cref="WebhookVerification.Valid"/>.
/// </summary>
/// <param name="Events">The events, in the order of the body's <c>data</c> array; every topic is kept, known or not.</param>
/// <param name="Meta">The body's <c>meta</c>: account, webhook, when it was sent.</param>
public sealed record WebhookDelivery(Seq<WebhookEvent> Events, WebhookDeliveryMeta Meta)
{
    /// <summary>
    /// Decodes a delivery body, leniently: unknown fields are ignored, events of any topic are kept (a payload that
    /// is not an <c>event</c> resource keeps its raw <see cref="WebhookEvent.Payload"/> with no typed
    /// <see cref="WebhookEvent.Event"/>), and missing optional parts read as absent. What cannot be a delivery (not
    /// JSON, not an object, <c>data</c> not an array, an event payload that is not a JSON:API document) is a
    /// <see cref="KlaviyoError.Decode"/> naming the JSON path. Never throws.
    /// </summary>
    /// <param name="body">The raw body, as verified.</param>
    /// <param name="webhookId">
    /// The <c>Klaviyo-Webhook-Id</c> header, when you have it. Klaviyo's docs say the body's
    /// <c>meta.klaviyo_webhook_id</c> must equal it and a delivery where they differ must not be processed: then
    /// this returns a <see cref="KlaviyoError.Decode"/>. <c>null</c> skips the check.
    /// </param>
    public static Either<KlaviyoError, WebhookDelivery> Decode(
        ReadOnlySpan<byte> body,
        string? webhookId = null
    ) => WebhookDeliveryReading.Read(body, webhookId);

    /// <summary>Counts, topics and ids only: event properties (personal data) stay out of logs.</summary>
    public override string ToString() =>
        $"WebhookDelivery {{ Events = {Events.Count}, Topics = [{string.Join(", ", Events.Map(e => e.Topic).Distinct())}], "
        + $"WebhookId = {Meta.WebhookId}, Timestamp = {Meta.Timestamp:O} }}";
}

/// <summary>The <c>meta</c> of a delivery, as Klaviyo documents it (each field absent when the body leaves it out).</summary>
/// <param name="AccountId"><c>klaviyo_account_id</c>: the account where the events occurred.</param>
/// <param name="WebhookId"><c>klaviyo_webhook_id</c>: the webhook; equals the <c>Klaviyo-Webhook-Id</c> header.</param>
/// <param name="Timestamp"><c>timestamp</c>: when the request was sent.</param>
/// <param name="Version">
/// <c>version</c>: an API revision, e.g. <c>2024-06-28</c>. Seen in real deliveries though not in Klaviyo's field
/// list, so it may be absent.
/// </param>
public sealed record WebhookDeliveryMeta(
    string? AccountId,
    string? WebhookId,
    DateTimeOffset? Timestamp,
    string? Version
);

/// <summary>
/// One event of a delivery: its <see cref="Topic"/> (e.g. <c>event:klaviyo.sent_sms</c>), its id, and its payload,
/// which has the shape of a Get Event response. For an <c>event</c> payload, <see cref="Event"/> holds the event
/// with its attributes decoded; relationships (<c>profile</c>, <c>metric</c>) are on <c>Event.Resource</c>.
/// </summary>
/// <param name="Topic">The topic, as sent; topics depend on the account's metrics, so unknown ones are normal.</param>
/// <param name="ExternalId"><c>external_id</c>: the event's id, a natural idempotency key.</param>
/// <param name="Event">The payload's <c>data</c> as an <c>event</c> resource; <c>None</c> for a payload of another shape.</param>
/// <param name="Payload">The payload as a JSON:API document, for anything <see cref="Event"/> does not model.</param>
public sealed record WebhookEvent(
    string Topic,
    string? ExternalId,
    Option<JsonApiResource<WebhookEventAttributes>> Event,
    JsonApiDocument Payload
)
{
    /// <summary>The id of the related resource of type <paramref name="relationship"/>, e.g. <c>profile</c> or <c>metric</c>.</summary>
    /// <param name="relationship">The relationship name as Klaviyo spells it.</param>
    public Option<string> RelatedId(string relationship) =>
        Event.Bind(e => e.Resource.Relationship(relationship)).Bind(r => r.One).Map(i => i.Id);

    /// <summary>Topic and ids only, so personal data stays out of logs.</summary>
    public override string ToString() =>
        $"WebhookEvent {{ Topic = {Topic}, ExternalId = {ExternalId} }}";
}

/// <summary>The attributes of an event, as in a Get Event response.</summary>
/// <param name="Timestamp"><c>timestamp</c>: when the event happened, in Unix seconds.</param>
/// <param name="Datetime"><c>datetime</c>: when the event happened.</param>
/// <param name="Uuid"><c>uuid</c>: a unique id of the event.</param>
/// <param name="EventProperties"><c>event_properties</c>: the event's properties (may hold personal data).</param>
public sealed record WebhookEventAttributes(
    long? Timestamp,
    DateTimeOffset? Datetime,
    string? Uuid,
    JsonElement? EventProperties
)
{
    /// <summary>The time of the event: <see cref="Datetime"/>, else <see cref="Timestamp"/>; <c>None</c> when neither is given.</summary>
    public Option<DateTimeOffset> Time =>
        Datetime is { } d ? d
        : Timestamp is { } s && s >= 0 && s <= 253_402_300_799
            ? DateTimeOffset.FromUnixTimeSeconds(s)
        : Option<DateTimeOffset>.None;

    /// <summary>The times and uuid; the properties are left out so personal data stays out of logs.</summary>
    public override string ToString() =>
        $"WebhookEventAttributes {{ Datetime = {Datetime:O}, Timestamp = {Timestamp}, Uuid = {Uuid} }}";
}
