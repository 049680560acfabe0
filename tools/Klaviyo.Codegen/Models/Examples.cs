using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Klaviyo.Codegen;

/// <summary>What a value in a synthesized example is, for tests that mutate it.</summary>
public enum ExampleKind
{
    /// <summary>An object with declared members (a record).</summary>
    Record,

    /// <summary>A free-form object.</summary>
    FreeObject,

    /// <summary>An array.</summary>
    Array,

    /// <summary>A string.</summary>
    String,

    /// <summary>A string with a fixed set of values.</summary>
    Enum,

    /// <summary>A date-time string.</summary>
    DateTime,

    /// <summary>An integer.</summary>
    Integer,

    /// <summary>A number.</summary>
    Number,

    /// <summary>A boolean.</summary>
    Boolean,

    /// <summary>Anything (the schema gives no type).</summary>
    Any,
}

/// <summary>One value of a synthesized example.</summary>
/// <param name="Path">Its JSON path, written as System.Text.Json writes paths (<c>$.data[0]['push-tokens']</c>).</param>
/// <param name="Kind">What it is.</param>
/// <param name="UnionCase">Whether it is itself one alternative of a <c>oneOf</c> (a value of another shape there
/// is an unknown case, not an error).</param>
public sealed record ExampleSlot(string Path, ExampleKind Kind, bool UnionCase);

/// <summary>A synthesized example and the values it is made of.</summary>
/// <param name="Json">The example.</param>
/// <param name="Slots">Every value in it, the root first.</param>
public sealed record Example(JsonNode Json, IReadOnlyList<ExampleSlot> Slots);

/// <summary>
/// Synthesizes examples from the spec's schemas: every member present, values from the spec's <c>example</c>s
/// where they fit the type, otherwise plausible values of the right type (the first enum value, a date, a URL for a <c>uri</c>, 1, true).
/// The spec has no whole-document examples, so tests and benchmarks build them here.
/// </summary>
public sealed class ExampleSynthesizer
{
    private readonly int _maxDepth = 14;
    private readonly Dictionary<string, SchemaNode> _components = new(StringComparer.Ordinal);

    private ExampleSynthesizer(Dictionary<string, SchemaNode> components, int maxDepth)
    {
        _components = components;
        _maxDepth = maxDepth;
    }

    /// <summary>Reads the component schemas of the spec whose JSON root is <paramref name="root"/>.</summary>
    public ExampleSynthesizer(JsonElement root)
    {
        foreach (var (name, node) in SchemaNode.ReadComponents(root))
            _components[name] = node;
    }

    /// <summary>An example of component schema <paramref name="schema"/>; top-level <c>data</c> arrays get
    /// <paramref name="items"/> elements (each with its own id).</summary>
    public Example Of(string schema, int items = 1) => Of(schema, items, 14);

    /// <summary>An example of <paramref name="schema"/>, objects filled down to <paramref name="maxDepth"/> levels
    /// (request bodies such as a form definition nest deeper than any response).</summary>
    public Example Of(string schema, int items, int maxDepth)
    {
        if (maxDepth != _maxDepth)
            return new ExampleSynthesizer(_components, maxDepth).Of(schema, items, maxDepth);
        var slots = new List<ExampleSlot>();
        var json = Value(new SchemaNode { Ref = schema }, "$", 0, slots, false, items)!;
        return new Example(json, slots);
    }

    private SchemaNode Resolve(SchemaNode node)
    {
        for (var i = 0; node.Ref is { } r && i < 32; i++)
            node = _components[r];
        return node;
    }

    private JsonNode? Value(
        SchemaNode node,
        string path,
        int depth,
        List<ExampleSlot> slots,
        bool unionCase,
        int items
    )
    {
        var s = Resolve(node);
        if (s.AllOf.Count > 0)
            return Merged(s, path, depth, slots, unionCase, items);
        if (s.OneOf.Count > 0)
            return Value(s.OneOf[0], path, depth, slots, true, items);
        if (s.IsStringEnum)
        {
            slots.Add(new(path, ExampleKind.Enum, unionCase));
            var example = node.Example ?? s.Example;
            return
                example is { ValueKind: JsonValueKind.String } e
                && s.EnumText.Contains(e.GetString()!)
                ? e.GetString()
                : s.EnumText[0];
        }
        var ex = node.Example ?? s.Example;
        switch (s.Type)
        {
            case "array":
            {
                slots.Add(new(path, ExampleKind.Array, unionCase));
                var array = new JsonArray();
                if (depth < _maxDepth && s.Items is { } itemSchema)
                {
                    var count = path == "$.data" ? items : 1;
                    for (var i = 0; i < count; i++)
                    {
                        var item = Value(itemSchema, $"{path}[{i}]", depth + 1, slots, false, 1);
                        if (count > 1 && item is JsonObject o && o["id"] is JsonValue)
                            o["id"] = $"{o["id"]}{i}";
                        array.Add(item);
                    }
                }
                return array;
            }
            case "string" when s.Format == "date-time":
                slots.Add(new(path, ExampleKind.DateTime, unionCase));
                return
                    ex is { ValueKind: JsonValueKind.String } d
                    && DateTimeOffset.TryParse(d.GetString(), CultureInfo.InvariantCulture, out _)
                    ? d.GetString()
                    : "2022-11-08T00:00:00+00:00";
            case "string" when s.Format is "date" or "time":
                slots.Add(new(path, ExampleKind.String, unionCase));
                return ex is { ValueKind: JsonValueKind.String } dt ? dt.GetString()
                    : s.Format == "date" ? "2022-11-08"
                    : "12:00:00";
            case "string" when s.Format == "uri":
                slots.Add(new(path, ExampleKind.String, unionCase));
                return ex is { ValueKind: JsonValueKind.String } u
                    ? u.GetString()
                    : "https://example.com/";
            case "string":
                slots.Add(new(path, ExampleKind.String, unionCase));
                return ex is { ValueKind: JsonValueKind.String } t ? t.GetString() : "text";
            case "integer":
                slots.Add(new(path, ExampleKind.Integer, unionCase));
                return ex is { ValueKind: JsonValueKind.Number } n && n.TryGetInt64(out var l)
                    ? l
                    : 1;
            case "number":
                slots.Add(new(path, ExampleKind.Number, unionCase));
                return ex is { ValueKind: JsonValueKind.Number } f ? f.GetDouble() : 1.5;
            case "boolean":
                slots.Add(new(path, ExampleKind.Boolean, unionCase));
                return ex is { ValueKind: JsonValueKind.True or JsonValueKind.False } b
                        ? b.GetBoolean()
                    : s.Enum.Count > 0 && s.Enum[0].ValueKind == JsonValueKind.False ? false
                    : true;
        }
        if (s.Properties is { Count: > 0 })
            return Record(s, path, depth, slots, unionCase, items);
        if (s.Type == "object")
        {
            slots.Add(new(path, ExampleKind.FreeObject, unionCase));
            return ex is { ValueKind: JsonValueKind.Object } o
                ? JsonNode.Parse(o.GetRawText())
                : new JsonObject { ["key"] = "value" };
        }
        slots.Add(new(path, ExampleKind.Any, unionCase));
        return ex is { } any ? JsonNode.Parse(any.GetRawText()) : "value";
    }

    private JsonObject Record(
        SchemaNode s,
        string path,
        int depth,
        List<ExampleSlot> slots,
        bool unionCase,
        int items
    )
    {
        slots.Add(new(path, ExampleKind.Record, unionCase));
        var obj = new JsonObject();
        if (depth >= _maxDepth)
            return obj;
        foreach (var (name, p) in s.Properties!)
            obj[name] = Value(p, path + Step(name), depth + 1, slots, false, items);
        return obj;
    }

    private JsonNode Merged(
        SchemaNode s,
        string path,
        int depth,
        List<ExampleSlot> slots,
        bool unionCase,
        int items
    )
    {
        // Synthesize each part into a scratch list, merge the objects, then record the merged slots once.
        var merged = new JsonObject();
        var partSlots = new List<ExampleSlot>();
        foreach (var part in s.AllOf)
            if (Value(part, path, depth, partSlots, unionCase, items) is JsonObject o)
                Merge(merged, o);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var slot in partSlots)
            if (seen.Add(slot.Path))
                slots.Add(slot);
        return merged;
    }

    private static void Merge(JsonObject into, JsonObject from)
    {
        foreach (var (name, value) in from.ToList())
        {
            from.Remove(name);
            if (into[name] is JsonObject a && value is JsonObject b)
                Merge(a, b);
            else
                into[name] = value;
        }
    }

    /// <summary><c>.name</c>, or <c>['odd name']</c> as System.Text.Json writes paths.</summary>
    public static string Step(string member) =>
        member.IndexOfAny(['.', ' ', '\'', '/', '"', '[', ']', '(', ')', '\t', '\n', '\r', '\\'])
        >= 0
            ? $"['{member}']"
            : "." + member;

    /// <summary>The node at <paramref name="path"/> (as <see cref="Step"/> writes paths), its parent, and how the
    /// parent holds it; null parent for the root.</summary>
    public static (JsonNode? Node, JsonNode? Parent, string? Member, int Index) Find(
        JsonNode root,
        string path
    )
    {
        JsonNode? node = root;
        JsonNode? parent = null;
        string? member = null;
        var index = -1;
        var i = 1;
        while (i < path.Length && node is not null)
        {
            parent = node;
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                if (end < 0)
                    end = path.Length;
                member = path[(i + 1)..end];
                index = -1;
                node = node[member];
                i = end;
            }
            else if (path[i] == '[' && path[i + 1] == '\'')
            {
                var end = path.IndexOf("']", i, StringComparison.Ordinal);
                member = path[(i + 2)..end];
                index = -1;
                node = node[member];
                i = end + 2;
            }
            else
            {
                var end = path.IndexOf(']', i);
                index = int.Parse(path[(i + 1)..end], CultureInfo.InvariantCulture);
                member = null;
                node = node[index];
                i = end + 1;
            }
        }
        return (node, parent, member, index);
    }
}
