using System.Collections.Frozen;
using System.Text.Json;

namespace Klaviyo;

/// <summary>
/// The request schemas of the generated table (<see cref="RequestSchemas.Json"/>) read into nodes once, on first use
/// of the body check.
/// </summary>
internal static class SchemaTable
{
    private static readonly Lazy<FrozenDictionary<string, Node>> Components = new(Read);

    /// <summary>The component schema <paramref name="name"/>.</summary>
    public static Node Of(string name) => Components.Value[name];

    private static FrozenDictionary<string, Node> Read()
    {
        using var doc = JsonDocument.Parse(RequestSchemas.Json);
        var all = new Dictionary<string, Node>(StringComparer.Ordinal);
        foreach (var c in doc.RootElement.EnumerateObject())
            all[c.Name] = Parse(c.Value, all);
        return all.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static Node Parse(JsonElement e, Dictionary<string, Node> all)
    {
        Dictionary<string, Node>? properties = null;
        if (e.TryGetProperty("p", out var ps))
        {
            properties = new Dictionary<string, Node>(StringComparer.Ordinal);
            foreach (var p in ps.EnumerateObject())
                properties[p.Name] = Parse(p.Value, all);
        }
        var enumValues = e.TryGetProperty("e", out var en)
            ? en.EnumerateArray()
                .Where(x => x.ValueKind == JsonValueKind.String)
                .Select(x => x.GetString()!)
                .ToArray()
            : [];
        var type = e.TryGetProperty("t", out var t) ? t.GetString() : null;
        return new Node(
            e.TryGetProperty("$", out var r) ? r.GetString() : null,
            all,
            type
                ?? (
                    properties is not null ? "object"
                    : enumValues.Length > 0 ? "string"
                    : null
                ),
            e.TryGetProperty("n", out _),
            enumValues,
            e.TryGetProperty("f", out var f) ? f.GetString() : null,
            properties ?? (IReadOnlyDictionary<string, Node>)FrozenDictionary<string, Node>.Empty,
            e.TryGetProperty("r", out var req)
                ? [.. req.EnumerateArray().Select(x => x.GetString()!)]
                : [],
            e.TryGetProperty("i", out var items) ? Parse(items, all) : null,
            e.TryGetProperty("o", out var o)
                ? [.. o.EnumerateArray().Select(x => Parse(x, all))]
                : [],
            e.TryGetProperty("a", out var a)
                ? [.. a.EnumerateArray().Select(x => Parse(x, all))]
                : []
        );
    }

    /// <summary>One schema.</summary>
    internal sealed class Node(
        string? reference,
        Dictionary<string, Node> components,
        string? kind,
        bool nullable,
        IReadOnlyList<string> enumValues,
        string? format,
        IReadOnlyDictionary<string, Node> properties,
        IReadOnlyList<string> required,
        Node? items,
        IReadOnlyList<Node> oneOf,
        IReadOnlyList<Node> allOf
    )
    {
        /// <summary>The node a reference points to (itself when it is no reference).</summary>
        public Node Resolved =>
            reference is not null && components.TryGetValue(reference, out var target)
                ? target.Resolved
                : this;

        /// <summary>The JSON type (<c>object</c>, <c>array</c>, <c>string</c>…), or null for anything.</summary>
        public string? Kind => kind;

        /// <summary>Whether <c>null</c> is allowed.</summary>
        public bool Nullable => nullable;

        /// <summary>Whether the schema says nothing about the value (no type), so <c>null</c> fits too.</summary>
        public bool AcceptsNull => kind is null && oneOf.Count == 0 && allOf.Count == 0;

        /// <summary>The allowed string values, or none.</summary>
        public IReadOnlyList<string> Enum => enumValues;

        /// <summary>The format checked (<c>date-time</c>, <c>date</c>, <c>time</c>), or null.</summary>
        public string? Format => format;

        /// <summary>The declared members.</summary>
        public IReadOnlyDictionary<string, Node> Properties => properties;

        /// <summary>The required members.</summary>
        public IReadOnlyList<string> Required => required;

        /// <summary>The item schema of an array.</summary>
        public Node? Items => items;

        /// <summary>The alternatives of a <c>oneOf</c>.</summary>
        public IReadOnlyList<Node> OneOf => oneOf;

        /// <summary>The parts of an <c>allOf</c>.</summary>
        public IReadOnlyList<Node> AllOf => allOf;

        /// <summary>Whether every constant member (a one-value enum, such as the resource <c>type</c>) of this object
        /// schema has its value in <paramref name="value"/>, and there is at least one.</summary>
        public bool ConstantsMatch(JsonElement value)
        {
            if (value.ValueKind != JsonValueKind.Object)
                return false;
            var any = false;
            foreach (var (name, p) in properties)
            {
                var r = p.Resolved;
                if (r.Enum.Count != 1)
                    continue;
                if (
                    !value.TryGetProperty(name, out var v)
                    || v.ValueKind != JsonValueKind.String
                    || v.GetString() != r.Enum[0]
                )
                    return false;
                any = true;
            }
            if (
                !any
                && properties.TryGetValue("data", out var data)
                && value.TryGetProperty("data", out var d)
            )
                return data.Resolved.ConstantsMatch(d);
            return any;
        }

        /// <summary>What the schema expects, in words: <c>a string</c>, <c>an object</c>, <c>"list"</c>.</summary>
        public string Describe() =>
            enumValues.Count == 1
                ? $"\"{JsonEncodedText.Encode(enumValues[0])}\""
                : kind switch
                {
                    "object" => "an object",
                    "array" => "an array",
                    "string" => format is null ? "a string" : $"a {format} string",
                    "integer" => "an integer",
                    "number" => "a number",
                    "boolean" => "a boolean",
                    _ => oneOf.Count > 0 ? "one of its alternatives" : "a value",
                };
    }
}
