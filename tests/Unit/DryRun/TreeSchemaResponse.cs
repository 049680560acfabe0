using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo.Tests.DryRun;

/// <summary>
/// The schema-shaped dry answer as it was first written: a fresh <see cref="JsonNode"/> tree of the example document
/// per request, filled in and serialized. Kept here only as the reference the cached templates of
/// <see cref="SchemaResponse"/> must match byte for byte.
/// </summary>
internal static class TreeSchemaResponse
{
    private static readonly Lazy<Table> Documents = new(Table.Read);

    /// <summary>The answer to <paramref name="request"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="nextId">Gives the next number for the id of a created resource (<c>dry-run-1</c>, …).</param>
    public static RawResponse For(KlaviyoRequest request, Func<long> nextId)
    {
        var entry = request.OperationId is { } id ? OperationCatalog.Find(id) : None;
        if (
            entry.IfNoneUnsafe((CatalogEntry?)null) is not { } found
            || found.SuccessStatus == 204
            || Documents.Value.Document(found.OperationId) is not JsonObject document
        )
            return MinimalResponse.For(request, nextId);

        Fill(document, request, found, nextId);
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer))
            document.WriteTo(w);
        return new RawResponse(
            found.SuccessStatus,
            Seq1(("content-type", MediaTypes.JsonApi)),
            buffer.WrittenSpan.ToArray()
        );
    }

    // Puts the request's own facts into the example document.
    private static void Fill(
        JsonObject document,
        KlaviyoRequest request,
        CatalogEntry entry,
        Func<long> nextId
    )
    {
        var method = request.Method;
        switch (document["data"])
        {
            case JsonObject data when IsResource(data):
                if (method == HttpMethod.Post)
                {
                    if (MinimalResponse.BodyType(request) is { } type)
                        data["type"] = type;
                    data["id"] = $"dry-run-{nextId()}";
                }
                else if (entry.PathTemplate.TrimEnd('/').EndsWith('}'))
                {
                    var segments = MinimalResponse.ResourceSegments(request.Path);
                    if (segments.Count > 0)
                        data["id"] = segments[^1];
                }
                Complete(data);
                break;
            case JsonArray items:
                if (PageSize(request) is { } size)
                    while (items.Count > size && items.Count > 0)
                        items.RemoveAt(items.Count - 1);
                foreach (var item in items)
                    if (item is JsonObject resource)
                        Complete(resource);
                var links = document["links"] as JsonObject ?? [];
                document["links"] = links;
                break;
        }
        if (document["included"] is JsonArray included)
            foreach (var item in included)
                if (item is JsonObject resource)
                    Complete(resource);
        if (document["links"] is JsonObject top)
        {
            // The request's own URL, redacted: no secret (a token in the query) is ever echoed. One page only.
            var self = request.Redact().Url;
            top["self"] = self;
            foreach (var end in (string[])["first", "last"])
                if (top.ContainsKey(end))
                    top[end] = self;
            if (document["data"] is JsonArray || top.ContainsKey("next"))
                top["next"] = null;
            if (top.ContainsKey("prev"))
                top["prev"] = null;
        }
    }

    private static bool IsResource(JsonObject data) =>
        data.ContainsKey("type") || data.ContainsKey("id");

    // A job (type "…-job") is done without a failure, so a program polling it (a bulk pipeline) goes on in a dry
    // run and reports no made-up item errors.
    private static void Complete(JsonObject resource)
    {
        if (
            resource["type"] is not JsonValue type
            || !type.TryGetValue<string>(out var name)
            || !name.EndsWith("-job", StringComparison.Ordinal)
        )
            return;
        var attributes = resource["attributes"] as JsonObject ?? [];
        resource["attributes"] = attributes;
        attributes["status"] = "complete";
        if (attributes.ContainsKey("failed_count"))
            attributes["failed_count"] = 0;
        if (attributes.ContainsKey("completed_count") && attributes["total_count"] is { } total)
            attributes["completed_count"] = total.DeepClone();
        if (attributes["errors"] is JsonArray errors)
            errors.Clear();
    }

    // page[size] (or page_size) of the request, when it asks for fewer resources than the example holds.
    private static int? PageSize(KlaviyoRequest request)
    {
        foreach (var (name, value) in request.Query)
            if (
                name is "page[size]" or "page_size"
                && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                && n > 0
            )
                return n;
        return null;
    }

    /// <summary>The generated table, read once: each document asked for is expanded into a fresh tree.</summary>
    private sealed class Table(
        JsonElement shared,
        FrozenDictionary<string, string> schemas,
        FrozenDictionary<string, JsonElement> documents
    )
    {
        public FrozenDictionary<string, string> Schemas => schemas;

        public static Table Read()
        {
            // Kept for the life of the process: the elements below point into it.
            var json = JsonDocument.Parse(DryRunResponses.Json.ToArray());
            var root = json.RootElement;
            return new Table(
                root.GetProperty("shared"),
                root.GetProperty("operations")
                    .EnumerateObject()
                    .ToFrozenDictionary(
                        p => p.Name,
                        p => p.Value.GetString()!,
                        StringComparer.Ordinal
                    ),
                root.GetProperty("docs")
                    .EnumerateObject()
                    .ToFrozenDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal)
            );
        }

        /// <summary>A new copy of the success document of <paramref name="operationId"/>, or null.</summary>
        public JsonNode? Document(string operationId) =>
            schemas.TryGetValue(operationId, out var schema)
            && documents.TryGetValue(schema, out var e)
                ? Expand(e)
                : null;

        // {"$":n} stands for the n-th shared object.
        private JsonNode? Expand(JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Object:
                    if (
                        e.TryGetProperty("$", out var reference)
                        && reference.ValueKind == JsonValueKind.Number
                    )
                        return Expand(shared[reference.GetInt32()]);
                    var o = new JsonObject();
                    foreach (var p in e.EnumerateObject())
                        o[p.Name] = Expand(p.Value);
                    return o;
                case JsonValueKind.Array:
                    var a = new JsonArray();
                    foreach (var item in e.EnumerateArray())
                        a.Add(Expand(item));
                    return a;
                case JsonValueKind.Null:
                    return null;
                default:
                    return JsonValue.Create(e);
            }
        }
    }
}
