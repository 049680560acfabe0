using System.Text;
using System.Text.Json;

namespace Klaviyo.Codegen;

/// <summary>
/// Writes <c>RequestSchemas.g.cs</c>: the spec's JSON request body schemas, reduced to what the pre-send body check
/// needs (types, required members, enums, formats, nullability, <c>oneOf</c>/<c>allOf</c>, references), as one compact
/// JSON text, and the root schema of each operation's body. The check reads this table, never the spec.
/// </summary>
/// <remarks>
/// A node is an object with short keys: <c>$</c> a component it refers to, <c>t</c> the JSON type, <c>n</c> 1 when
/// nullable, <c>e</c> the enum values, <c>f</c> the format (only <c>date-time</c>, <c>date</c>, <c>time</c>),
/// <c>p</c> the properties, <c>r</c> the required names, <c>i</c> the item schema, <c>o</c> the alternatives,
/// <c>a</c> the parts of an <c>allOf</c>.
/// </remarks>
public static class RequestSchemasEmitter
{
    private static readonly HashSet<string> CheckedFormats = ["date-time", "date", "time"];

    /// <summary>The file.</summary>
    public static GeneratedFile Emit(string revision, IReadOnlyList<Shape> shapes, JsonElement root)
    {
        var components = SchemaNode
            .ReadComponents(root)
            .ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        var bodies = shapes
            .Where(s =>
                s.Operation.Body is { } b
                && b.ContentType.Contains("json")
                && b.SchemaName is not null
            )
            .Select(s => (s.Operation.OperationId, Schema: s.Operation.Body!.SchemaName!))
            .ToList();

        // Every component reachable from a body, in the order first met.
        var order = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<string>(bodies.Select(b => b.Schema));
        while (pending.Count > 0)
        {
            var name = pending.Dequeue();
            if (!seen.Add(name) || !components.TryGetValue(name, out var node))
                continue;
            order.Add(name);
            foreach (var r in Refs(node))
                pending.Enqueue(r);
        }

        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var name in order)
            {
                w.WritePropertyName(name);
                Write(w, components[name]);
            }
            w.WriteEndObject();
        }
        var json = Encoding.UTF8.GetString(buffer.ToArray());

        var sb = new StringBuilder();
        sb.Append(Generator.Header(revision));
        sb.Append("#nullable enable\n\n");
        sb.Append("namespace Klaviyo;\n\n");
        foreach (
            var line in DocText.Wrap(
                "",
                "<summary>The JSON request body schemas of the spec, reduced for the pre-send body check (<see cref=\"RequestBodyCheck\"/>): the schema of each operation's body, and the schemas as compact JSON.</summary>"
            )
        )
            sb.Append(line).Append('\n');
        sb.Append("internal static class RequestSchemas\n{\n");
        sb.Append(
            "    /// <summary>The component schema of the JSON body of <paramref name=\"operationId\"/>, or null.</summary>\n"
        );
        sb.Append(
            "    /// <param name=\"operationId\">The operationId, e.g. <c>create_list</c>.</param>\n"
        );
        sb.Append("    public static string? Of(string operationId) =>\n");
        sb.Append("        operationId switch\n        {\n");
        foreach (var (id, schema) in bodies)
            sb.Append("            ")
                .Append(Naming.Literal(id))
                .Append(" => ")
                .Append(Naming.Literal(schema))
                .Append(",\n");
        sb.Append("            _ => null,\n        };\n\n");
        sb.Append(
            "    /// <summary>The schemas by component name, as compact JSON (see the generator's <c>RequestSchemasEmitter</c>).</summary>\n"
        );
        sb.Append("    public const string Json = \"\"\"\"\n").Append(json).Append("\n\"\"\"\";\n");
        sb.Append("}\n");
        return new GeneratedFile("RequestSchemas.g.cs", sb.ToString());
    }

    private static IEnumerable<string> Refs(SchemaNode node)
    {
        if (node.Ref is { } r)
            yield return r;
        foreach (var p in node.Properties ?? [])
        foreach (var x in Refs(p.Value))
            yield return x;
        if (node.Items is { } items)
            foreach (var x in Refs(items))
                yield return x;
        foreach (var alt in node.OneOf.Concat(node.AllOf))
        foreach (var x in Refs(alt))
            yield return x;
    }

    private static void Write(Utf8JsonWriter w, SchemaNode node)
    {
        w.WriteStartObject();
        if (node.Ref is { } r)
            w.WriteString("$", r);
        if (node.Type is { } t)
            w.WriteString("t", t);
        if (node.Nullable)
            w.WriteNumber("n", 1);
        if (node.Enum.Count > 0)
        {
            w.WriteStartArray("e");
            foreach (var e in node.Enum)
                e.WriteTo(w);
            w.WriteEndArray();
        }
        if (node.Format is { } f && CheckedFormats.Contains(f))
            w.WriteString("f", f);
        if (node.Properties is { Count: > 0 } properties)
        {
            w.WriteStartObject("p");
            foreach (var (name, p) in properties)
            {
                w.WritePropertyName(name);
                Write(w, p);
            }
            w.WriteEndObject();
        }
        var required = (node.Properties ?? [])
            .Select(p => p.Key)
            .Where(node.Required.Contains)
            .Concat(
                node.Required.Where(x => node.Property(x) is null).Order(StringComparer.Ordinal)
            )
            .ToList();
        if (required.Count > 0)
        {
            w.WriteStartArray("r");
            foreach (var name in required)
                w.WriteStringValue(name);
            w.WriteEndArray();
        }
        if (node.Items is { } items)
        {
            w.WritePropertyName("i");
            Write(w, items);
        }
        if (node.OneOf.Count > 0)
        {
            w.WriteStartArray("o");
            foreach (var alt in node.OneOf)
                Write(w, alt);
            w.WriteEndArray();
        }
        if (node.AllOf.Count > 0)
        {
            w.WriteStartArray("a");
            foreach (var part in node.AllOf)
                Write(w, part);
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }
}
