using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Klaviyo.Codegen;

/// <summary>
/// Writes <c>DryRunResponses.g.cs</c> (into <c>src/Klaviyo.Interpreters/DryRun/Generated</c>): for each operation
/// with a JSON success response, the name of its response schema, and for each such schema one example document
/// synthesized by <see cref="ExampleSynthesizer"/> (the spec's member examples where they fit, plausible values of
/// the right type elsewhere; a top-level <c>data</c> list holds two resources), as one compact UTF-8 JSON literal
/// (kept as UTF-8 in the assembly) in which an object met more than once is written once and referred to
/// (<c>{"$":index}</c>). The
/// schema-shaped dry-run responder answers from these documents, after putting the request's own type, id and links
/// into them; it never reads the spec.
/// </summary>
public static class DryRunResponsesEmitter
{
    /// <summary>How many resources a list answer's <c>data</c> holds.</summary>
    public const int ListItems = 2;

    /// <summary>The file's name.</summary>
    public const string FileName = "DryRunResponses.g.cs";

    /// <summary>The file.</summary>
    public static GeneratedFile Emit(
        string revision,
        IReadOnlyList<SpecOperation> operations,
        JsonElement root
    )
    {
        var synthesizer = new ExampleSynthesizer(root);
        var known = SchemaNode
            .ReadComponents(root)
            .Select(c => c.Key)
            .ToHashSet(StringComparer.Ordinal);
        var rows = operations
            .Where(op =>
                op.SuccessStatus != 204
                && op.ResponseSchemaName is { } s
                && known.Contains(s)
                && JsonResponse(root, op)
            )
            .Select(op => (op.OperationId, Schema: op.ResponseSchemaName!))
            .ToList();

        var docs = rows.Select(r => r.Schema)
            .Distinct()
            .Order(StringComparer.Ordinal)
            .Select(schema => (schema, Json: Named(synthesizer.Of(schema, ListItems).Json)))
            .ToList();
        var operationTable = new JsonObject();
        foreach (var (id, schema) in rows)
            operationTable[id] = schema;
        var (shared, written) = Shared(docs);
        var table = new JsonObject
        {
            ["operations"] = operationTable,
            ["shared"] = shared,
            ["docs"] = written,
        };
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
            table.WriteTo(w);
        var json = Encoding.UTF8.GetString(buffer.ToArray());

        var sb = new StringBuilder();
        sb.Append(Generator.Header(revision));
        sb.Append("#nullable enable\n\n");
        sb.Append("namespace Klaviyo;\n\n");
        foreach (
            var line in DocText.Wrap(
                "",
                "<summary>The success response documents the schema-shaped dry run answers with (<see cref=\"DryRunResponder.FromSchema\"/>), as compact UTF-8 JSON: <c>operations</c> names the response schema of each operation with a JSON success response, <c>docs</c> holds one example document per schema, synthesized from the spec's schemas, and <c>shared</c> the objects met more than once, written once and referred to as <c>{\"$\":index}</c>.</summary>"
            )
        )
            sb.Append(line).Append('\n');
        sb.Append("internal static class DryRunResponses\n{\n");
        sb.Append(
            "    /// <summary>The table, as UTF-8 JSON (see the generator's <c>DryRunResponsesEmitter</c>).</summary>\n"
        );
        sb.Append("    public static ReadOnlySpan<byte> Json =>\n        \"\"\"\"\n")
            .Append(json)
            .Append("\n\"\"\"\"u8;\n");
        sb.Append("}\n");
        return new GeneratedFile(FileName, sb.ToString());
    }

    /// <summary>The smallest object written by reference, in characters of compact JSON.</summary>
    public const int SharedMinimum = 32;

    // A resource whose id the spec gives no example of gets one named after its type (profile-1, profile-2 in a
    // list) rather than the synthesizer's "text", "text0", "text1".
    private static JsonNode Named(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                if (
                    o["type"] is JsonValue type
                    && type.TryGetValue<string>(out var name)
                    && o["id"] is JsonValue id
                    && id.TryGetValue<string>(out var text)
                    && text.StartsWith("text", StringComparison.Ordinal)
                )
                    o["id"] =
                        $"{name}-{(int.TryParse(text[4..], System.Globalization.CultureInfo.InvariantCulture, out var n) ? n + 1 : 1)}";
                foreach (var (_, v) in o)
                    if (v is not null)
                        Named(v);
                break;
            case JsonArray a:
                foreach (var v in a)
                    if (v is not null)
                        Named(v);
                break;
        }
        return node;
    }

    // "shared":[…] and "docs":{schema:document}: every object of at least SharedMinimum characters met more than once
    // (across all documents) is written once in "shared" and replaced by {"$":index} wherever it stands, which keeps
    // the table about a third the size; the responder expands the references back.
    private static (JsonArray Shared, JsonObject Docs) Shared(
        IReadOnlyList<(string Schema, JsonNode Json)> docs
    )
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (_, json) in docs)
            Count(json, counts);
        var shared = new JsonArray();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var written = new JsonObject();
        foreach (var (schema, json) in docs)
            written[schema] = Replace(json, counts, shared, index);
        return (shared, written);
    }

    private static void Count(JsonNode? node, Dictionary<string, int> counts)
    {
        switch (node)
        {
            case JsonObject o:
                if (o.ContainsKey("$"))
                    throw new InvalidOperationException(
                        "an example holds a member named \"$\", the table's reference marker"
                    );
                var text = o.ToJsonString();
                if (text.Length >= SharedMinimum)
                    counts[text] = counts.GetValueOrDefault(text) + 1;
                foreach (var (_, v) in o)
                    Count(v, counts);
                break;
            case JsonArray a:
                foreach (var v in a)
                    Count(v, counts);
                break;
        }
    }

    private static JsonNode? Replace(
        JsonNode? node,
        Dictionary<string, int> counts,
        JsonArray shared,
        Dictionary<string, int> index
    )
    {
        switch (node)
        {
            case JsonObject o:
            {
                var text = o.ToJsonString();
                var copy = new JsonObject();
                foreach (var (name, v) in o)
                    copy[name] = Replace(v, counts, shared, index);
                if (text.Length < SharedMinimum || counts[text] < 2)
                    return copy;
                if (!index.TryGetValue(text, out var i))
                {
                    i = shared.Count;
                    index[text] = i;
                    shared.Add(copy);
                }
                return new JsonObject { ["$"] = i };
            }
            case JsonArray a:
                return new JsonArray([.. a.Select(v => Replace(v, counts, shared, index))]);
            default:
                return node?.DeepClone();
        }
    }

    // Whether a success response of the operation is JSON (the spec's are application/vnd.api+json).
    private static bool JsonResponse(JsonElement root, SpecOperation op)
    {
        if (
            !root.TryGetProperty("paths", out var paths)
            || !paths.TryGetProperty(op.Path, out var item)
            || !item.TryGetProperty(op.Method.ToLowerInvariant(), out var operation)
            || !operation.TryGetProperty("responses", out var responses)
        )
            return false;
        foreach (var r in responses.EnumerateObject())
        {
            if (!r.Name.StartsWith('2'))
                continue;
            var response = r.Value.TryGetProperty("$ref", out var reference)
                ? Resolve(root, reference.GetString()!)
                : r.Value;
            if (
                response.ValueKind == JsonValueKind.Object
                && response.TryGetProperty("content", out var content)
                && content
                    .EnumerateObject()
                    .Any(m => m.Name.Contains("json", StringComparison.Ordinal))
            )
                return true;
        }
        return false;
    }

    private static JsonElement Resolve(JsonElement root, string reference)
    {
        var node = root;
        foreach (var part in reference.TrimStart('#', '/').Split('/'))
            if (!node.TryGetProperty(part, out node))
                return default;
        return node;
    }
}
