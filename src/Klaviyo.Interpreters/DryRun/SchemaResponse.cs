using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// A dry-run answer shaped like the operation's success response in the spec: the example document generated for
/// its response schema (<see cref="DryRunResponses"/>), with the request's own facts put in — a single resource's
/// id from the path, a creation's type from the body and a new id, every job complete, a list's <c>links</c> ending
/// the pagination at the redacted request URL. Requests the table does not cover get the
/// <see cref="MinimalResponse"/>. Pure: the same request and id sequence give the same bytes. Each schema's document
/// is expanded and serialized once (<see cref="SchemaTemplate"/>); a request costs writing its answer out.
/// </summary>
internal static class SchemaResponse
{
    private static readonly Lazy<Table> Documents = new(Table.Read);

    private static readonly Seq<(string, string)> JsonApi = Seq1(
        ("content-type", MediaTypes.JsonApi)
    );

    // One buffer and writer per thread, reused: an answer is written whole, synchronously, then copied out.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>The answer to <paramref name="request"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="nextId">Gives the next number for the id of a created resource (<c>dry-run-1</c>, …).</param>
    public static RawResponse For(KlaviyoRequest request, Func<long> nextId)
    {
        var entry = request.OperationId is { } id ? OperationCatalog.Find(id) : None;
        if (
            entry.IfNoneUnsafe((CatalogEntry?)null) is not { } found
            || found.SuccessStatus == 204
            || Documents.Value.Template(found.OperationId) is not { } template
        )
            return MinimalResponse.For(request, nextId);

        var facts = Facts(template, request, found, nextId);
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(16 * 1024);
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        try
        {
            template.Write(writer, facts);
            writer.Flush();
            return new RawResponse(found.SuccessStatus, JsonApi, buffer.WrittenSpan.ToArray());
        }
        finally
        {
            // A writer left mid-document (an exception above) must not carry its state into the next answer.
            writer.Reset(buffer);
        }
    }

    // What of the request shows in its answer: a creation's type and new id, a single resource's id from the path,
    // the page size, and the redacted URL (no secret — a token in the query — is ever echoed).
    private static SchemaTemplate.RequestFacts Facts(
        SchemaTemplate template,
        KlaviyoRequest request,
        CatalogEntry entry,
        Func<long> nextId
    )
    {
        string? type = null;
        string? id = null;
        if (template.HasResource)
        {
            if (request.Method == HttpMethod.Post)
            {
                type = MinimalResponse.BodyType(request);
                id = $"dry-run-{nextId()}";
            }
            else if (entry.PathTemplate.TrimEnd('/').EndsWith('}'))
            {
                var segments = MinimalResponse.ResourceSegments(request.Path);
                if (segments.Count > 0)
                    id = segments[^1];
            }
        }
        return new SchemaTemplate.RequestFacts(
            type,
            id,
            template.HasList ? PageSize(request) : null,
            template.ShowsUrl ? RedactedUrl(request) : null
        );
    }

    // request.Redact().Url, without redacting the headers and the body too.
    private static string RedactedUrl(KlaviyoRequest request)
    {
        var (path, query) = request.RedactedTarget();
        return (
            request with
            {
                Origin = request.Scrub(request.Origin),
                Path = path,
                Query = query,
            }
        ).Url;
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

    /// <summary>The response schema of <paramref name="operationId"/> the table has a document for, or null.</summary>
    /// <param name="operationId">The operationId, e.g. <c>get_profiles</c>.</param>
    internal static string? SchemaOf(string operationId) =>
        Documents.Value.Schemas.TryGetValue(operationId, out var schema) ? schema : null;

    /// <summary>The generated table, read once; each schema's template is made on first use and kept.</summary>
    private sealed class Table(
        JsonElement shared,
        FrozenDictionary<string, string> schemas,
        FrozenDictionary<string, JsonElement> documents
    )
    {
        private readonly ConcurrentDictionary<string, SchemaTemplate?> _templates = new(
            StringComparer.Ordinal
        );

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

        /// <summary>The template of the success document of <paramref name="operationId"/>, or null.</summary>
        public SchemaTemplate? Template(string operationId) =>
            schemas.TryGetValue(operationId, out var schema) && documents.ContainsKey(schema)
                ? _templates.GetOrAdd(schema, static (s, table) => table.Make(s), this)
                : null;

        // Two threads asking first may both make it; they make the same template and one is kept.
        private SchemaTemplate? Make(string schema) =>
            Expand(documents[schema]) is JsonObject document ? SchemaTemplate.Of(document) : null;

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
