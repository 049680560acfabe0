using System.Text.Json;

namespace Klaviyo.Codegen;

/// <summary>
/// One schema of the spec, read once into a plain tree. Identity matters: the model builder names each inline object
/// the first time it meets the node, and a merged <c>allOf</c> keeps the very nodes it did not change, so they keep
/// their names.
/// </summary>
public sealed class SchemaNode
{
    /// <summary>The component this node refers to (<c>$ref</c>), by name.</summary>
    public string? Ref { get; init; }

    /// <summary>The spec's <c>type</c>, or null.</summary>
    public string? Type { get; init; }

    /// <summary>The spec's <c>format</c>, or null.</summary>
    public string? Format { get; init; }

    /// <summary>Whether <c>nullable: true</c>.</summary>
    public bool Nullable { get; init; }

    /// <summary>The description, or null.</summary>
    public string? Description { get; init; }

    /// <summary>The spec's <c>example</c>, if any.</summary>
    public JsonElement? Example { get; init; }

    /// <summary>The spec's <c>default</c>, if any.</summary>
    public JsonElement? Default { get; init; }

    /// <summary>The allowed values (<c>enum</c>); empty when not an enum.</summary>
    public IReadOnlyList<JsonElement> Enum { get; init; } = [];

    /// <summary>The properties in spec order, or null when the schema declares none.</summary>
    public IReadOnlyList<KeyValuePair<string, SchemaNode>>? Properties { get; init; }

    /// <summary>The required property names.</summary>
    public IReadOnlySet<string> Required { get; init; } = new HashSet<string>();

    /// <summary>The array item schema.</summary>
    public SchemaNode? Items { get; init; }

    /// <summary>The alternatives of <c>oneOf</c> (or <c>anyOf</c>).</summary>
    public IReadOnlyList<SchemaNode> OneOf { get; init; } = [];

    /// <summary>The parts of <c>allOf</c>.</summary>
    public IReadOnlyList<SchemaNode> AllOf { get; init; } = [];

    /// <summary>Whether an <c>enum</c> of strings (or one without a type whose values are all strings).</summary>
    public bool IsStringEnum =>
        Enum.Count > 0
        && (Type is null or "string")
        && Enum.All(e => e.ValueKind == JsonValueKind.String);

    /// <summary>Whether the schema holds exactly one value: a one-member <c>enum</c>.</summary>
    public bool IsConstant => Enum.Count == 1;

    /// <summary>Whether the node describes an object with declared properties.</summary>
    public bool IsObjectWithProperties =>
        Properties is { Count: > 0 } && (Type is null or "object") && AllOf.Count == 0;

    /// <summary>The property called <paramref name="name"/>, or null.</summary>
    public SchemaNode? Property(string name) =>
        Properties?.FirstOrDefault(p => p.Key == name).Value;

    /// <summary>Reads every component schema of the spec, keeping their order.</summary>
    public static IReadOnlyList<KeyValuePair<string, SchemaNode>> ReadComponents(JsonElement root)
    {
        var list = new List<KeyValuePair<string, SchemaNode>>();
        if (
            root.TryGetProperty("components", out var components)
            && components.TryGetProperty("schemas", out var schemas)
        )
            foreach (var s in schemas.EnumerateObject())
                list.Add(new(s.Name, Read(s.Value)));
        return list;
    }

    /// <summary>Reads one schema object.</summary>
    public static SchemaNode Read(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
            return new SchemaNode();
        List<KeyValuePair<string, SchemaNode>>? properties = null;
        if (e.TryGetProperty("properties", out var ps) && ps.ValueKind == JsonValueKind.Object)
        {
            properties = [];
            foreach (var p in ps.EnumerateObject())
                properties.Add(new(p.Name, Read(p.Value)));
        }
        var alternatives = new List<SchemaNode>();
        foreach (var key in new[] { "oneOf", "anyOf" })
            if (e.TryGetProperty(key, out var alts) && alts.ValueKind == JsonValueKind.Array)
                alternatives.AddRange(alts.EnumerateArray().Select(Read));
        return new SchemaNode
        {
            Ref = e.TryGetProperty("$ref", out var r) ? r.GetString()!.Split('/')[^1] : null,
            Type = Str(e, "type"),
            Format = Str(e, "format"),
            Nullable = e.TryGetProperty("nullable", out var n) && n.ValueKind == JsonValueKind.True,
            Description = Str(e, "description"),
            Example = e.TryGetProperty("example", out var ex) ? ex.Clone() : null,
            Default = e.TryGetProperty("default", out var d) ? d.Clone() : null,
            Enum =
                e.TryGetProperty("enum", out var en) && en.ValueKind == JsonValueKind.Array
                    ? [.. en.EnumerateArray().Select(x => x.Clone())]
                    : [],
            Properties = properties,
            Required =
                e.TryGetProperty("required", out var req) && req.ValueKind == JsonValueKind.Array
                    ? req.EnumerateArray().Select(x => x.GetString()!).ToHashSet()
                    : new HashSet<string>(),
            Items = e.TryGetProperty("items", out var it) ? Read(it) : null,
            OneOf = alternatives,
            AllOf =
                e.TryGetProperty("allOf", out var all) && all.ValueKind == JsonValueKind.Array
                    ? [.. all.EnumerateArray().Select(Read)]
                    : [],
        };
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()
            : null;

    /// <summary>The enum values as text (strings as they are, others as their JSON).</summary>
    public IReadOnlyList<string> EnumText =>
        [
            .. Enum.Select(x =>
                x.ValueKind == JsonValueKind.String ? x.GetString()! : x.GetRawText()
            ),
        ];
}
