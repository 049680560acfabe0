using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Klaviyo.Codegen;

/// <summary>
/// Writes <c>RequestBodyShapes.g.cs</c>: for each operation taking a JSON body, the body's members as a flat list
/// (JSON path, type, required, allowed values, first sentence of the description) and a small valid example body
/// (every required member, plus optional scalars the spec gives an example for). The command-line tool prints them
/// (<c>klaviyo describe OP</c>, <c>--example-body</c>). Read from the spec here, so the tool needs no schema at run
/// time.
/// </summary>
public static class RequestBodyShapesEmitter
{
    private const int MaxDepth = 8;
    private const int MaxDescription = 140;

    /// <summary>The file.</summary>
    public static GeneratedFile Emit(string revision, IReadOnlyList<Shape> shapes, JsonElement root)
    {
        var components = SchemaNode
            .ReadComponents(root)
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var sb = new StringBuilder();
        sb.Append(Generator.Header(revision));
        sb.Append("#nullable enable\n\n");
        sb.Append("namespace Klaviyo;\n\n");
        sb.Append(
            "/// <summary>One member of a request body: its JSON path (<c>data.attributes.name</c>, <c>[]</c> for array\n"
                + "/// items), JSON type, whether its object requires it, the values allowed (empty when any), the first sentence\n"
                + "/// of its description.</summary>\n"
                + "/// <param name=\"Path\">The member's JSON path, e.g. <c>data.attributes.name</c>.</param>\n"
                + "/// <param name=\"Type\">Its JSON type, e.g. <c>string</c>, <c>string (date-time)</c>, <c>object[]</c>.</param>\n"
                + "/// <param name=\"Required\">Whether the object holding it requires it.</param>\n"
                + "/// <param name=\"Values\">The values allowed; empty when any value of the type is.</param>\n"
                + "/// <param name=\"Description\">The first sentence of the spec's description, if any.</param>\n"
        );
        sb.Append(
            "public sealed record RequestBodyMember(string Path, string Type, bool Required, string[] Values, string? Description);\n\n"
        );
        sb.Append(
            "/// <summary>A request body's shape: the schema's name, its members in spec order, and a valid example body.</summary>\n"
                + "/// <param name=\"Schema\">The spec's schema name, e.g. <c>ListCreateQuery</c>.</param>\n"
                + "/// <param name=\"Members\">Every member, parents before children, in spec order.</param>\n"
                + "/// <param name=\"Example\">A valid example body (JSON) to start from.</param>\n"
        );
        sb.Append(
            "public sealed record RequestBodyShape(string Schema, RequestBodyMember[] Members, string Example);\n\n"
        );
        sb.Append(
            "/// <summary>The shape of each operation's JSON request body, by operationId, read from the spec.</summary>\n"
        );
        sb.Append("public static class RequestBodyShapes\n{\n");
        sb.Append(
            "    /// <summary>The shape of the operation's JSON body, or null when it takes none.</summary>\n"
        );
        sb.Append(
            "    /// <param name=\"operationId\">The operationId, e.g. <c>create_list</c>.</param>\n"
        );
        sb.Append("    public static RequestBodyShape? Of(string operationId) =>\n");
        sb.Append("        operationId switch\n        {\n");
        foreach (var s in shapes)
        {
            if (
                s.Operation.Body is not { SchemaName: { } schema } body
                || !body.ContentType.Contains("json", StringComparison.Ordinal)
                || !components.ContainsKey(schema)
            )
                continue;
            var walker = new Walker(components);
            var members = new List<(string, string, bool, IReadOnlyList<string>, string?)>();
            walker.Members(new SchemaNode { Ref = schema }, "", 0, members);
            var example = walker.Example(new SchemaNode { Ref = schema }, 0) ?? new JsonObject();
            sb.Append("            ")
                .Append(Naming.Literal(s.Operation.OperationId))
                .Append(" => new(\n");
            sb.Append("                ").Append(Naming.Literal(schema)).Append(",\n");
            sb.Append("                [\n");
            foreach (var (path, type, required, values, description) in members)
                sb.Append("                    new(")
                    .Append(Naming.Literal(path))
                    .Append(", ")
                    .Append(Naming.Literal(type))
                    .Append(", ")
                    .Append(required ? "true" : "false")
                    .Append(", [")
                    .Append(string.Join(", ", values.Select(Naming.Literal)))
                    .Append("], ")
                    .Append(Naming.Literal(description))
                    .Append("),\n");
            sb.Append("                ],\n");
            sb.Append("                ")
                .Append(
                    Naming.Literal(
                        example.ToJsonString(
                            new JsonSerializerOptions
                            {
                                Encoder = System
                                    .Text
                                    .Encodings
                                    .Web
                                    .JavaScriptEncoder
                                    .UnsafeRelaxedJsonEscaping,
                            }
                        )
                    )
                )
                .Append("\n            ),\n");
        }
        sb.Append("            _ => null,\n        };\n}\n");
        return new GeneratedFile("RequestBodyShapes.g.cs", sb.ToString());
    }

    private sealed class Walker(Dictionary<string, SchemaNode> components)
    {
        private SchemaNode Resolve(SchemaNode node)
        {
            for (var i = 0; node.Ref is { } r && i < 32 && components.ContainsKey(r); i++)
                node = components[r];
            return node;
        }

        // allOf merged into one object: properties and required of every part.
        private SchemaNode Flatten(SchemaNode node)
        {
            var s = Resolve(node);
            if (s.AllOf.Count == 0)
                return s;
            var properties = new List<KeyValuePair<string, SchemaNode>>();
            var required = new HashSet<string>(StringComparer.Ordinal);
            foreach (var part in s.AllOf.Select(Flatten))
            {
                foreach (var p in part.Properties ?? [])
                    if (!properties.Exists(q => q.Key == p.Key))
                        properties.Add(p);
                required.UnionWith(part.Required);
            }
            return new SchemaNode
            {
                Type = "object",
                Description = s.Description,
                Properties = properties,
                Required = required,
            };
        }

        public string TypeOf(SchemaNode node)
        {
            var s = Flatten(node);
            if (s.OneOf.Count > 0)
            {
                var alternatives = s.OneOf.Select(TypeOf).Distinct().ToList();
                return string.Join(" | ", alternatives);
            }
            var type = s.Type ?? (s.Properties is { Count: > 0 } ? "object" : "any");
            if (type == "array")
                return s.Items is { } items ? TypeOf(items) + "[]" : "array";
            if (s.Format is { } format && type is "string" or "integer" or "number")
                return $"{type} ({format})";
            return type;
        }

        public void Members(
            SchemaNode node,
            string path,
            int depth,
            List<(string, string, bool, IReadOnlyList<string>, string?)> rows
        )
        {
            var s = Flatten(node);
            if (depth >= MaxDepth)
                return;
            if (s.OneOf.Count > 0)
            {
                // Objects among the alternatives: their members are listed under the first one (the spec's own
                // order); the type line already names every alternative.
                var first = s
                    .OneOf.Select(Flatten)
                    .FirstOrDefault(a => a.Properties is { Count: > 0 });
                if (first is not null)
                    Members(first, path, depth, rows);
                return;
            }
            if (s.Type == "array" && s.Items is { } items)
            {
                Members(items, path + "[]", depth + 1, rows);
                return;
            }
            foreach (var (name, child) in s.Properties ?? [])
            {
                var resolved = Flatten(child);
                var childPath = path.Length == 0 ? name : path + "." + name;
                rows.Add(
                    (
                        childPath,
                        TypeOf(child),
                        s.Required.Contains(name),
                        resolved.IsStringEnum ? resolved.EnumText : [],
                        FirstSentence(child.Description ?? resolved.Description)
                    )
                );
                Members(child, childPath, depth + 1, rows);
            }
        }

        // The example: every required member; optional ones only when they are scalars with an example in the spec.
        public JsonNode? Example(SchemaNode node, int depth)
        {
            var s = Flatten(node);
            var example = node.Example ?? s.Example;
            if (s.OneOf.Count > 0)
                return Example(s.OneOf[0], depth);
            if (s.IsStringEnum)
                return
                    example is { ValueKind: JsonValueKind.String } e
                    && s.EnumText.Contains(e.GetString()!)
                    ? e.GetString()
                    : s.EnumText[0];
            switch (s.Type)
            {
                case "array":
                    if (example is { ValueKind: JsonValueKind.Array } a)
                        return JsonNode.Parse(a.GetRawText());
                    var array = new JsonArray();
                    if (
                        depth < MaxDepth
                        && s.Items is { } items
                        && Example(items, depth + 1) is { } item
                    )
                        array.Add(item);
                    return array;
                case "string" when s.Format == "date-time":
                    return
                        example is { ValueKind: JsonValueKind.String } d
                        && DateTimeOffset.TryParse(
                            d.GetString(),
                            CultureInfo.InvariantCulture,
                            out _
                        )
                        ? d.GetString()
                        : "2025-01-01T00:00:00+00:00";
                case "string":
                    return example is { ValueKind: JsonValueKind.String } t
                        ? t.GetString()
                        : "text";
                case "integer":
                    return
                        example is { ValueKind: JsonValueKind.Number } n && n.TryGetInt64(out var l)
                        ? l
                        : 1;
                case "number":
                    return example is { ValueKind: JsonValueKind.Number } f ? f.GetDouble() : 1;
                case "boolean":
                    return example is { ValueKind: JsonValueKind.False } ? false : true;
            }
            if (s.Properties is { Count: > 0 })
            {
                var obj = new JsonObject();
                if (depth >= MaxDepth)
                    return obj;
                foreach (var (name, child) in s.Properties)
                {
                    var c = Flatten(child);
                    var required = s.Required.Contains(name);
                    var scalarWithExample =
                        (child.Example ?? c.Example) is { } ex
                        && ex.ValueKind
                            is not (
                                JsonValueKind.Object
                                or JsonValueKind.Array
                                or JsonValueKind.Null
                            )
                        && c.Type is "string" or "integer" or "number" or "boolean"
                        && c.Format != "date-time"
                        && !(c.IsStringEnum && !c.EnumText.Contains(ex.ToString()));
                    if (required || scalarWithExample)
                        obj[name] = Example(child, depth + 1);
                }
                return obj;
            }
            if (example is { ValueKind: JsonValueKind.Object } o)
                return JsonNode.Parse(o.GetRawText());
            return s.Type == "object" ? new JsonObject() : "value";
        }
    }

    private static string? FirstSentence(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var flat = string.Join(
                ' ',
                text.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)
            )
            .Trim();
        var end = flat.IndexOf(". ", StringComparison.Ordinal);
        if (end > 0)
            flat = flat[..(end + 1)];
        return flat.Length <= MaxDescription ? flat : flat[..(MaxDescription - 1)].TrimEnd() + "…";
    }
}
