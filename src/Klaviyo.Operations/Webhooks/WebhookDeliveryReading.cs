using System.Text.Json;
using System.Text.RegularExpressions;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>Reads a delivery body into <see cref="WebhookDelivery"/>: strict about the envelope, lenient inside it.</summary>
internal static partial class WebhookDeliveryReading
{
    public static Either<KlaviyoError, WebhookDelivery> Read(
        ReadOnlySpan<byte> body,
        string? webhookId
    )
    {
        if (body.IsEmpty)
            return Detached("the body is empty: expected a JSON object with data and meta");
        JsonElement root;
        try
        {
            var reader = new Utf8JsonReader(body);
            root = JsonElement.ParseValue(ref reader);
            // Anything but whitespace after the value makes Read throw.
            reader.Read();
        }
        catch (JsonException e)
        {
            return Detached(
                $"the body is not JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})"
            );
        }

        var origin = DecodeOrigin.Detached(root);
        if (root.ValueKind != JsonValueKind.Object)
            return origin.Error(
                $"expected a JSON object at $, found {JsonApiReading.Describe(root.ValueKind)}"
            );
        return from meta in Meta(Get(root, "meta"), origin)
            from _ in WebhookIdMatches(webhookId, meta, origin)
            from events in Events(Get(root, "data"), origin)
            select new WebhookDelivery(events, meta);
    }

    private static Either<KlaviyoError, WebhookDeliveryMeta> Meta(
        JsonElement meta,
        DecodeOrigin origin
    )
    {
        if (meta.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            return new WebhookDeliveryMeta(null, null, null, null);
        if (meta.ValueKind != JsonValueKind.Object)
            return origin.Error(
                $"expected an object at $.meta, found {JsonApiReading.Describe(meta.ValueKind)}"
            );
        DateTimeOffset? timestamp = null;
        if (Text(Get(meta, "timestamp")) is { } t)
        {
            if (!WebhookSigning.TryParseTimestamp(t.Trim(), out var parsed))
                return origin.Error(
                    $"at $.meta.timestamp: expected an ISO 8601 date, found {WebhookText.Quote(t)}"
                );
            timestamp = parsed;
        }
        return new WebhookDeliveryMeta(
            Text(Get(meta, "klaviyo_account_id")),
            Text(Get(meta, "klaviyo_webhook_id")),
            timestamp,
            Text(Get(meta, "version"))
        );
    }

    private static Either<KlaviyoError, Unit> WebhookIdMatches(
        string? header,
        WebhookDeliveryMeta meta,
        DecodeOrigin origin
    ) =>
        string.IsNullOrWhiteSpace(header) || header.Trim() == meta.WebhookId
            ? unit
            : origin.Error(
                $"the {WebhookVerifier.WebhookIdHeader} header ({WebhookText.Quote(header.Trim())}) does not match "
                    + $"$.meta.klaviyo_webhook_id ({(meta.WebhookId is null ? "absent" : WebhookText.Quote(meta.WebhookId))}): "
                    + "Klaviyo's docs say not to process such a delivery."
            );

    private static Either<KlaviyoError, Seq<WebhookEvent>> Events(
        JsonElement data,
        DecodeOrigin origin
    )
    {
        if (data.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            return Seq<WebhookEvent>();
        if (data.ValueKind != JsonValueKind.Array)
            return origin.Error(
                $"expected an array of events at $.data, found {JsonApiReading.Describe(data.ValueKind)}"
            );
        var events = new List<WebhookEvent>(data.GetArrayLength());
        var index = 0;
        foreach (var item in data.EnumerateArray())
        {
            var one = Event(item, $"$.data[{index++}]", origin);
            if (one.IsLeft)
                return one.Map(_ => Seq<WebhookEvent>());
            one.IfRight(events.Add);
        }
        return toSeq(events);
    }

    private static Either<KlaviyoError, WebhookEvent> Event(
        JsonElement item,
        string location,
        DecodeOrigin origin
    )
    {
        if (item.ValueKind != JsonValueKind.Object)
            return origin.Error(
                $"expected an event object at {location}, found {JsonApiReading.Describe(item.ValueKind)}"
            );
        var payload = Get(item, "payload");
        if (payload.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            payload = JsonApiReading.EmptyObject;
        var at = location + ".payload";
        return from document in Within(at, JsonApiDocument.Parse(payload))
            from ev in Within(at, TypedEvent(document))
            select new WebhookEvent(
                Text(Get(item, "topic")) ?? "",
                Text(Get(item, "external_id")),
                ev,
                document
            );
    }

    /// <summary>The payload's data as an event with decoded attributes, when it is one event resource.</summary>
    private static Either<KlaviyoError, Option<JsonApiResource<WebhookEventAttributes>>> TypedEvent(
        JsonApiDocument document
    ) =>
        document.Data is JsonApiData.One { Resource: { Type: "event" } resource }
            ? resource.As(WebhookJson.Default.WebhookEventAttributes).Map(Some)
            : Right<KlaviyoError, Option<JsonApiResource<WebhookEventAttributes>>>(None);

    /// <summary>
    /// A payload is parsed as a document of its own, so its errors name paths from the payload's root
    /// (<c>$.data.attributes…</c>); this rewrites them from the body's root (<c>$.data[3].payload.data.attributes…</c>).
    /// </summary>
    private static Either<KlaviyoError, A> Within<A>(
        string location,
        Either<KlaviyoError, A> result
    ) =>
        result.MapLeft(e =>
            e is KlaviyoError.Decode d
                ? d with
                {
                    Reason = PathRoot().Replace(d.Reason, location),
                }
                : e
        );

    [GeneratedRegex(@"\$(?=[.\[,:\s]|$)")]
    private static partial Regex PathRoot();

    private static KlaviyoError Detached(string reason) =>
        DecodeOrigin.Detached(default).Error(reason);

    private static JsonElement Get(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) ? v : default;

    private static string? Text(JsonElement e) =>
        e.ValueKind switch
        {
            JsonValueKind.String => e.GetString(),
            JsonValueKind.Number => e.GetRawText(),
            _ => null,
        };
}

/// <summary>
/// Source-generated metadata for the event attributes of a webhook delivery (snake_case names, numbers accepted from
/// strings): no reflection, so verifying and reading deliveries works in trimmed and Native AOT apps.
/// </summary>
[System.Text.Json.Serialization.JsonSourceGenerationOptions(
    PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower,
    PropertyNameCaseInsensitive = true,
    NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowReadingFromString,
    AllowTrailingCommas = true,
    ReadCommentHandling = JsonCommentHandling.Skip
)]
[System.Text.Json.Serialization.JsonSerializable(typeof(WebhookEventAttributes))]
internal sealed partial class WebhookJson : System.Text.Json.Serialization.JsonSerializerContext;
