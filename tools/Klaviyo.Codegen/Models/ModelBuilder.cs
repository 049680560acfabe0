using System.Text;
using System.Text.Json;

namespace Klaviyo.Codegen;

/// <summary>Every generated model, and how to find the type of a component schema.</summary>
/// <param name="Definitions">Every type, ordered by name.</param>
/// <param name="Components">The C# type of each component schema, by schema name.</param>
public sealed record ModelSet(
    IReadOnlyList<ModelDefinition> Definitions,
    IReadOnlyDictionary<string, ClrType> Components
)
{
    /// <summary>The C# type name of component schema <paramref name="schemaName"/>.</summary>
    public string TypeNameOf(string schemaName) => Components[schemaName].Code;
}

/// <summary>
/// Turns the spec's component schemas into C# types. Naming: a component keeps its name; an inline object is named
/// by where it sits (owner type + member, <c>ListCreateQueryResourceObjectAttributes</c>); a resource identifier
/// <c>{type, id}</c> is <c>{Resource}Identifier</c> and a relationship holding them is
/// <c>{Resource}ToOneRelationship</c> / <c>{Resource}ToManyRelationship</c>, shared wherever they appear; an
/// <c>allOf</c> that extends a component is <c>{Component}Extended</c>; a string enum is named after its member
/// when that name has two words or more and means one set of values everywhere (<c>OptInProcess</c>), else by
/// where it sits. One-value string enums inline are constants of type <c>string</c>.
/// </summary>
public sealed class ModelBuilder
{
    private static readonly HashSet<string> AvoidedNames =
    [
        // Names that would clash with System types in user code (implicit usings bring in System).
        "DayOfWeek",
        "DateTimeKind",
        "TimeZoneInfo",
        "StringComparison",
        "UriKind",
    ];

    private readonly Dictionary<string, SchemaNode> _components = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ClrType> _componentTypes = new(StringComparer.Ordinal);
    private readonly Dictionary<SchemaNode, ClrType> _inline = new(
        ReferenceEqualityComparer.Instance
    );
    private readonly Dictionary<string, ClrType> _shared = new(StringComparer.Ordinal);
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);
    private readonly List<ModelDefinition> _all = [];
    private readonly Dictionary<string, HashSet<string>> _enumSetsByMember = new(
        StringComparer.Ordinal
    );
    private string _group = "";

    private ModelBuilder() { }

    /// <summary>Builds every model of the spec whose JSON root is <paramref name="root"/>.</summary>
    public static ModelSet Build(JsonElement root)
    {
        var b = new ModelBuilder();
        var components = SchemaNode.ReadComponents(root);
        foreach (var (name, node) in components)
        {
            b._components[name] = node;
            b._taken.Add(Naming.Pascal(name));
        }
        foreach (var (_, node) in components)
            b.CollectEnums(node, null);
        foreach (var (name, _) in components)
            b.Component(name);
        var definitions = b._all.OrderBy(d => d.Name, StringComparer.Ordinal).ToList();
        var duplicate = definitions.GroupBy(d => d.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidOperationException($"two models named {duplicate.Key}");
        return new ModelSet(definitions, b._componentTypes);
    }

    /// <summary>The schema <paramref name="node"/> refers to, following <c>$ref</c>s.</summary>
    private SchemaNode Resolve(SchemaNode node)
    {
        for (var depth = 0; node.Ref is { } r && depth < 32; depth++)
            node = _components[r];
        return node;
    }

    private string Unique(string name)
    {
        if (AvoidedNames.Contains(name))
            name += "Value";
        var candidate = name;
        for (var i = 2; !_taken.Add(candidate); i++)
            candidate = name + i;
        return candidate;
    }

    private T Add<T>(T definition)
        where T : ModelDefinition
    {
        definition.FileGroup = _group.Length > 0 ? _group : definition.Name;
        _all.Add(definition);
        return definition;
    }

    private ClrType Component(string name)
    {
        if (_componentTypes.TryGetValue(name, out var known))
            return known;
        var node = _components[name];
        var typeName = Naming.Pascal(name);
        var outer = _group;
        _group = typeName;
        try
        {
            if (node.IsStringEnum)
            {
                var e = Add(new EnumDefinition(typeName, node.EnumText));
                e.Summary = Summary(
                    node.Description,
                    $"The <c>{name}</c> values of Klaviyo's API."
                );
                return _componentTypes[name] = new ClrType.Model(e);
            }
            if (node.IsObjectWithProperties)
            {
                var r = Add(new RecordDefinition(typeName));
                r.Summary = Summary(
                    node.Description,
                    $"The <c>{name}</c> object of Klaviyo's API."
                );
                _componentTypes[name] = new ClrType.Model(r);
                FillRecord(r, node);
                return _componentTypes[name];
            }
            _componentTypes[name] = ClrType.AnyJson;
            return _componentTypes[name] = TypeOf(node, typeName, null);
        }
        finally
        {
            _group = outer;
        }
    }

    /// <summary>The C# type of <paramref name="node"/>; <paramref name="hint"/> names a new inline type.</summary>
    private ClrType TypeOf(SchemaNode node, string hint, string? member)
    {
        if (node.Ref is { } r)
            return Component(r);
        if (_inline.TryGetValue(node, out var seen))
            return seen;
        var type = NewTypeOf(node, hint, member);
        _inline[node] = type;
        return type;
    }

    private ClrType NewTypeOf(SchemaNode node, string hint, string? member)
    {
        if (node.AllOf.Count == 1 && node.Properties is null)
            return TypeOf(node.AllOf[0], hint, member);
        if (node.AllOf.Count > 1)
            return Merged(node);
        if (node.OneOf.Count > 0)
            return OneOf(node, hint, member);
        if (node.IsStringEnum)
            return node.Enum.Count == 1 ? ClrType.String : Enum(node.EnumText, hint, member);
        switch (node.Type)
        {
            case "array":
                return new ClrType.ListOf(
                    node.Items is { } items ? TypeOf(items, hint, member) : ClrType.AnyJson
                );
            case "string":
                return node.Format == "date-time" ? ClrType.DateTime : ClrType.String;
            case "integer":
                return ClrType.Long;
            case "number":
                return ClrType.Double;
            case "boolean":
                return ClrType.Bool;
        }
        if (node.IsObjectWithProperties)
        {
            if (Pattern(node) is { } shared)
                return shared;
            var r = Add(new RecordDefinition(Unique(hint)));
            r.Summary = Summary(
                node.Description,
                member is null
                    ? $"An object of Klaviyo's API."
                    : $"The <c>{DocText.Escape(member)}</c> object."
            );
            var type = new ClrType.Model(r);
            _inline[node] = type;
            FillRecord(r, node);
            return type;
        }
        return node.Type == "object" ? ClrType.FreeObject : ClrType.AnyJson;
    }

    private void FillRecord(RecordDefinition r, SchemaNode node)
    {
        var used = new HashSet<string>(StringComparer.Ordinal) { r.Name };
        foreach (var (jsonName, property) in node.Properties!)
        {
            var name = Naming.Pascal(jsonName);
            if (name == r.Name)
                name += "Value";
            var candidate = name;
            for (var i = 2; !used.Add(candidate); i++)
                candidate = name + i;
            name = candidate;

            var type = TypeOf(property, r.Name + Naming.Pascal(jsonName), jsonName);
            var required = node.Required.Contains(jsonName);
            var constant = required ? Constant(property, type) : null;
            var nullable = constant is null && (!required || property.Nullable);
            r.Properties.Add(
                new PropertyDefinition(
                    jsonName,
                    name,
                    type,
                    nullable,
                    required && constant is null,
                    constant,
                    PropertyDoc(jsonName, property, constant)
                )
            );
        }
    }

    /// <summary>The C# expression of a required member's only value, or null when it has more than one.</summary>
    private string? Constant(SchemaNode property, ClrType type)
    {
        var resolved = Resolve(property);
        if (!resolved.IsConstant)
            return null;
        var value = resolved.Enum[0];
        if (type is ClrType.Model { Definition: EnumDefinition e })
            return $"{e.Name}.{e.Members[0]}";
        return value.ValueKind switch
        {
            JsonValueKind.String when type == ClrType.String => Naming.Literal(value.GetString()),
            JsonValueKind.True or JsonValueKind.False when type == ClrType.Bool =>
                value.GetRawText(),
            JsonValueKind.Number when type == ClrType.Long && value.TryGetInt64(out var n) =>
                n.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => null,
        };
    }

    // ---- allOf ----

    private ClrType Merged(SchemaNode node)
    {
        var key = "allOf:" + Fingerprint(node);
        if (_shared.TryGetValue(key, out var known))
            return known;
        // Build the components first, so the parts the merge leaves unchanged keep their own names.
        var baseName = node.AllOf.FirstOrDefault(p => p.Ref is not null)?.Ref;
        foreach (var part in node.AllOf.Where(p => p.Ref is not null))
            Component(part.Ref!);
        var merged = Merge(node.AllOf);
        var outer = _group;
        var name = Unique(Naming.Pascal(baseName ?? "Merged") + "Extended");
        _group = name;
        try
        {
            var r = Add(new RecordDefinition(name));
            var baseDoc = baseName is null ? null : _components[baseName].Description;
            r.Summary = Summary(
                merged.Description ?? baseDoc,
                baseName is null
                    ? "An object of Klaviyo's API."
                    : $"A <see cref=\"{Naming.Pascal(baseName)}\"/> with the extra members this response adds."
            );
            var type = new ClrType.Model(r);
            _shared[key] = type;
            FillRecord(r, merged);
            return type;
        }
        finally
        {
            _group = outer;
        }
    }

    /// <summary>Merges object schemas: members of all parts, same-named objects merged in turn, parts with
    /// <c>$ref</c> first so the component's member order leads.</summary>
    private SchemaNode Merge(IReadOnlyList<SchemaNode> parts)
    {
        var ordered = parts.Where(p => p.Ref is not null).Concat(parts.Where(p => p.Ref is null));
        var properties = new List<KeyValuePair<string, SchemaNode>>();
        var required = new HashSet<string>(StringComparer.Ordinal);
        string? description = null;
        var nullable = false;
        foreach (var part in ordered)
        {
            var p = Resolve(part);
            if (p.AllOf.Count > 0)
                p = Merge(p.AllOf);
            description ??= p.Description;
            nullable |= p.Nullable || part.Nullable;
            required.UnionWith(p.Required);
            foreach (var (name, prop) in p.Properties ?? [])
            {
                var at = properties.FindIndex(x => x.Key == name);
                if (at < 0)
                    properties.Add(new(name, prop));
                else
                    properties[at] = new(name, MergeMember(properties[at].Value, prop));
            }
        }
        return new SchemaNode
        {
            Type = "object",
            Description = description,
            Nullable = nullable,
            Properties = properties,
            Required = required,
        };
    }

    private SchemaNode MergeMember(SchemaNode a, SchemaNode b)
    {
        if (ReferenceEquals(a, b) || a.Ref is not null && a.Ref == b.Ref)
            return a.Nullable || !b.Nullable ? a : b;
        var ra = Resolve(a);
        var rb = Resolve(b);
        if (ra.IsObjectWithProperties && rb.IsObjectWithProperties)
        {
            var m = Merge([a, b]);
            return m;
        }
        // Differing scalars: the later (extending) part wins.
        return b;
    }

    // ---- shared JSON:API shapes ----

    /// <summary>A resource identifier or a relationship of identifiers, shared under one name everywhere.</summary>
    private ClrType? Pattern(SchemaNode node)
    {
        if (IdentifierOf(node) is { } resource)
            return Identifier(resource);
        var keys = node.Properties!.Select(p => p.Key).ToHashSet();
        if (!keys.Contains("data") || !keys.IsSubsetOf(["data", "links"]))
            return null;
        var links = node.Property("links");
        if (links is not null && links.Ref != "RelationshipLinks")
            return null;
        var data = node.Property("data")!;
        var many = data.Type == "array";
        if ((many ? data.Items : data) is not { } item || IdentifierOf(item) is not { } target)
            return null;
        var key = $"relationship:{target}:{many}";
        if (_shared.TryGetValue(key, out var known))
        {
            var existing = (RecordDefinition)((ClrType.Model)known).Definition;
            // Data is required to build one (requests); nullable when any response may leave it out.
            var nullableData = !node.Required.Contains("data") || data.Nullable;
            if (nullableData && existing.Properties[0] is { Nullable: false } p)
                existing.Properties[0] = p with { Nullable = true };
            return known;
        }
        var stem = Stem(target);
        var outer = _group;
        var name = Unique(stem + (many ? "ToManyRelationship" : "ToOneRelationship"));
        _group = name;
        try
        {
            var r = Add(new RecordDefinition(name));
            var identifier = Identifier(target);
            r.Summary =
                $"A {(many ? "to-many" : "to-one")} relationship to <c>{DocText.Escape(EnumValue(target))}</c> resources: their identifiers, and links.";
            r.Properties.Add(
                new PropertyDefinition(
                    "data",
                    "Data",
                    many ? new ClrType.ListOf(identifier) : identifier,
                    !node.Required.Contains("data") || data.Nullable,
                    true,
                    null,
                    many
                        ? "The related resources' identifiers."
                        : "The related resource's identifier."
                )
            );
            r.Properties.Add(
                new PropertyDefinition(
                    "links",
                    "Links",
                    _components.ContainsKey("RelationshipLinks")
                        ? Component("RelationshipLinks")
                        : ClrType.FreeObject,
                    true,
                    false,
                    null,
                    "Links to the relationship and the related resources."
                )
            );
            var type = new ClrType.Model(r);
            _shared[key] = type;
            return type;
        }
        finally
        {
            _group = outer;
        }
    }

    /// <summary>For <c>{type: $ref XEnum, id: string}</c> (both required), the enum component's name.</summary>
    private string? IdentifierOf(SchemaNode node)
    {
        if (
            node.Properties is not { Count: 2 } ps
            || !node.IsObjectWithProperties
            || !node.Required.SetEquals(["type", "id"])
        )
            return null;
        var type = node.Property("type");
        var id = node.Property("id");
        if (
            type?.Ref is not { } e
            || id is null
            || id.Type != "string"
            || id.Enum.Count > 0
            || id.Format is not null
        )
            return null;
        var target = _components[e];
        return target.IsStringEnum && target.IsConstant ? e : null;
    }

    private ClrType Identifier(string enumComponent)
    {
        var key = "identifier:" + enumComponent;
        if (_shared.TryGetValue(key, out var known))
            return known;
        var name = Unique(Stem(enumComponent) + "Identifier");
        var outer = _group;
        _group = name;
        try
        {
            var r = Add(new RecordDefinition(name));
            var value = EnumValue(enumComponent);
            r.Summary =
                $"Identifies a <c>{DocText.Escape(value)}</c> resource: its type and id (a JSON:API resource identifier).";
            var enumType = Component(enumComponent);
            var e = (EnumDefinition)((ClrType.Model)enumType).Definition;
            r.Properties.Add(
                new PropertyDefinition(
                    "type",
                    "Type",
                    enumType,
                    false,
                    false,
                    $"{e.Name}.{e.Members[0]}",
                    $"The resource type: <c>{DocText.Escape(value)}</c>."
                )
            );
            r.Properties.Add(
                new PropertyDefinition(
                    "id",
                    "Id",
                    ClrType.String,
                    false,
                    true,
                    null,
                    "The resource's id."
                )
            );
            var type = new ClrType.Model(r);
            _shared[key] = type;
            return type;
        }
        finally
        {
            _group = outer;
        }
    }

    private string EnumValue(string enumComponent) => _components[enumComponent].EnumText[0];

    /// <summary><c>ProfileEnum</c> → <c>Profile</c>.</summary>
    private static string Stem(string enumComponent)
    {
        var name = Naming.Pascal(enumComponent);
        return name.EndsWith("Enum", StringComparison.Ordinal) && name.Length > 4
            ? name[..^4]
            : name;
    }

    // ---- enums ----

    /// <summary>Notes which value sets each member name carries, to decide which enums may be named after it.</summary>
    private void CollectEnums(SchemaNode node, string? member)
    {
        if (member is not null)
        {
            var values = EnumValuesOf(node);
            if (values is { Count: > 1 })
            {
                if (!_enumSetsByMember.TryGetValue(member, out var sets))
                    _enumSetsByMember[member] = sets = new HashSet<string>(StringComparer.Ordinal);
                sets.Add(string.Join("\u0001", values));
            }
        }
        foreach (var (name, p) in node.Properties ?? [])
            CollectEnums(p, name);
        if (node.Items is { } items)
            CollectEnums(items, member);
        foreach (var alt in node.OneOf)
            if (alt.Ref is null)
                CollectEnums(alt, member);
        foreach (var part in node.AllOf)
            if (part.Ref is null)
                CollectEnums(part, null);
    }

    /// <summary>The values of an inline string enum (or a <c>oneOf</c> of them), or null.</summary>
    private static IReadOnlyList<string>? EnumValuesOf(SchemaNode node)
    {
        if (node.Ref is not null)
            return null;
        if (node.IsStringEnum)
            return node.EnumText;
        if (node.OneOf.Count > 0 && node.OneOf.All(a => a.Ref is null && a.IsStringEnum))
            return [.. node.OneOf.SelectMany(a => a.EnumText).Distinct()];
        return null;
    }

    private ClrType Enum(IReadOnlyList<string> values, string hint, string? member)
    {
        var shortName = member is null ? null : Naming.Pascal(member);
        var shareable =
            member is not null
            && _enumSetsByMember.TryGetValue(member, out var sets)
            && sets.Count == 1
            && Naming.Words(member).Count > 1
            && !_components.ContainsKey(shortName!)
            && !AvoidedNames.Contains(shortName!);
        if (shareable)
        {
            var key = "enum:" + member;
            if (_shared.TryGetValue(key, out var known))
                return known;
            var outer = _group;
            var name = Unique(shortName!);
            _group = name;
            try
            {
                var e = Add(new EnumDefinition(name, values));
                e.Summary = $"The values of <c>{DocText.Escape(member!)}</c> in Klaviyo's API.";
                return _shared[key] = new ClrType.Model(e);
            }
            finally
            {
                _group = outer;
            }
        }
        var d = Add(new EnumDefinition(Unique(hint), values));
        d.Summary = member is null
            ? "Values of Klaviyo's API."
            : $"The values of <c>{DocText.Escape(member)}</c>.";
        return new ClrType.Model(d);
    }

    // ---- oneOf ----

    private ClrType OneOf(SchemaNode node, string hint, string? member)
    {
        var alternatives = Flatten(node.OneOf).ToList();
        var resolved = alternatives.Select(Resolve).ToList();
        if (resolved.All(a => a.IsStringEnum) && alternatives.All(a => a.Ref is null))
        {
            var values = resolved.SelectMany(a => a.EnumText).Distinct().ToList();
            return values.Count == 1 ? ClrType.String : Enum(values, hint, member);
        }
        var kinds = resolved.Select(Kind).ToList();
        if (kinds.All(k => k is "string" or "integer" or "number" or "boolean"))
        {
            if (kinds.Contains("string"))
                return ClrType.String;
            if (kinds.All(k => k == "integer"))
                return ClrType.Long;
            if (kinds.All(k => k is "integer" or "number"))
                return ClrType.Double;
            return kinds.All(k => k == "boolean") ? ClrType.Bool : ClrType.AnyJson;
        }
        if (kinds.All(k => k == "array"))
        {
            var items = resolved.Select(a => a.Items ?? new SchemaNode()).ToList();
            return new ClrType.ListOf(TypeOf(new SchemaNode { OneOf = items }, hint, member));
        }
        return Union(alternatives, resolved, kinds, hint, member);
    }

    private IEnumerable<SchemaNode> Flatten(IEnumerable<SchemaNode> alternatives)
    {
        foreach (var a in alternatives)
            if (a.Ref is null && a.OneOf.Count > 0 && a.Properties is null)
                foreach (var inner in Flatten(a.OneOf))
                    yield return inner;
            else
                yield return a;
    }

    private static string Kind(SchemaNode resolved) =>
        resolved switch
        {
            { IsStringEnum: true } => "string",
            { AllOf.Count: > 0 } => "object",
            { Type: "array" } => "array",
            { Type: "string" } => "string",
            { Type: "integer" } => "integer",
            { Type: "number" } => "number",
            { Type: "boolean" } => "boolean",
            { Properties: not null } => "object",
            { Type: "object" } => "object",
            _ => "any",
        };

    private ClrType Union(
        List<SchemaNode> alternatives,
        List<SchemaNode> resolved,
        List<string> kinds,
        string hint,
        string? member
    )
    {
        var u = Add(new UnionDefinition(Unique(hint)));
        u.Summary = member is null
            ? "One of several shapes."
            : $"The <c>{DocText.Escape(member)}</c> value: one of several shapes.";
        var type = new ClrType.Model(u);

        // Objects carry their constant members: the discriminator, when one member tells every case apart.
        var objects = new List<(int Index, SchemaNode Node)>();
        for (var i = 0; i < alternatives.Count; i++)
            if (kinds[i] == "object")
                objects.Add((i, Flat(resolved[i])));
        var constants = objects.Select(o => Constants(o.Node)).ToList();
        string? discriminator = null;
        if (objects.Count > 0)
        {
            var candidates = constants[0]
                .Select(c => c.Name)
                .Where(name => constants.All(cs => cs.Any(c => c.Name == name)))
                .Where(name =>
                    constants.Select(cs => cs.First(c => c.Name == name).Value).Distinct().Count()
                    == constants.Count
                )
                .ToList();
            discriminator = candidates.Contains("type") ? "type" : candidates.FirstOrDefault();
        }
        u.Discriminator = discriminator;

        var used = new HashSet<string>(StringComparer.Ordinal)
        {
            u.Name,
            "Unknown",
            "Write",
            "Read",
            "Shapes",
        };
        for (var i = 0; i < alternatives.Count; i++)
        {
            var caseType = TypeOf(alternatives[i], $"{u.Name}{i + 1}", member);
            var kind = kinds[i] is "integer" ? "number" : kinds[i];
            var o = objects.FindIndex(x => x.Index == i);
            var consts = o >= 0 ? constants[o] : [];
            var discriminatorValue =
                discriminator is null || o < 0
                    ? null
                    : consts.First(c => c.Name == discriminator).Value;
            var baseName =
                discriminatorValue is not null ? EnumMembers.Member(discriminatorValue)
                : caseType is ClrType.Model m ? m.Definition.Name
                : kind switch
                {
                    "string" => "Text",
                    "number" => "Number",
                    "boolean" => "Boolean",
                    "array" => "List",
                    _ => "Value",
                };
            var name = baseName;
            for (var n = 2; !used.Add(name); n++)
                name = baseName + n;
            var requiredNames =
                o >= 0 ? objects[o].Node.Required.Order(StringComparer.Ordinal).ToList() : [];
            u.Cases.Add(
                new UnionCase(
                    name,
                    caseType,
                    kind,
                    discriminatorValue,
                    requiredNames,
                    consts,
                    o >= 0 ? [.. (objects[o].Node.Properties ?? []).Select(p => p.Key)] : [],
                    discriminatorValue is not null
                        ? $"A <c>{DocText.Escape(discriminatorValue)}</c>."
                        : $"A <see cref=\"{Cref(caseType)}\"/>."
                )
            );
        }
        return type;
    }

    private static string Cref(ClrType t) =>
        t switch
        {
            ClrType.Model m => "global::Klaviyo.Models." + m.Definition.Name,
            ClrType.ListOf => "System.Collections.Generic.IReadOnlyList{T}",
            ClrType.Builtin { Name: "string" } => "string",
            ClrType.Builtin { Name: "long" } => "long",
            ClrType.Builtin { Name: "double" } => "double",
            ClrType.Builtin { Name: "bool" } => "bool",
            ClrType.Builtin b => b.Name,
            _ => "object",
        };

    /// <summary>An object schema with any <c>allOf</c> merged, members resolved.</summary>
    private SchemaNode Flat(SchemaNode resolved) =>
        resolved.AllOf.Count > 0 ? Merge(resolved.AllOf) : resolved;

    /// <summary>Members with one allowed string value, in order.</summary>
    private List<(string Name, string Value)> Constants(SchemaNode obj)
    {
        var list = new List<(string, string)>();
        foreach (var (name, p) in obj.Properties ?? [])
        {
            var r = Resolve(p);
            if (r.IsStringEnum && r.IsConstant && obj.Required.Contains(name))
                list.Add((name, r.EnumText[0]));
        }
        return list;
    }

    // ---- docs ----

    private static string Summary(string? description, string fallback)
    {
        var text = description is null ? "" : DocText.Clean(description);
        return text.Length > 0 ? DocText.Sentence(text) : fallback;
    }

    private string PropertyDoc(string jsonName, SchemaNode property, string? constant)
    {
        var sb = new StringBuilder();
        var description = property.Description ?? Resolve(property).Description;
        sb.Append(
            Summary(
                property.Ref is null ? description : property.Description,
                $"The <c>{DocText.Escape(jsonName)}</c> member."
            )
        );
        if (constant is not null)
            sb.Append(
                $" Always <c>{DocText.Escape(Resolve(property).EnumText[0])}</c>; set for you."
            );
        else if (property.Example is { ValueKind: JsonValueKind.String or JsonValueKind.Number } ex)
        {
            var text = ex.ValueKind == JsonValueKind.String ? ex.GetString()! : ex.GetRawText();
            if (text.Length is > 0 and <= 80)
                sb.Append($" Example: <c>{DocText.Escape(text)}</c>.");
        }
        return sb.ToString();
    }

    // ---- fingerprints ----

    /// <summary>A structural key of a schema (descriptions and examples left out).</summary>
    private static string Fingerprint(SchemaNode n)
    {
        var sb = new StringBuilder();
        Write(sb, n);
        return sb.ToString();

        static void Write(StringBuilder sb, SchemaNode n)
        {
            sb.Append('{');
            if (n.Ref is not null)
                sb.Append("ref=").Append(n.Ref).Append(';');
            if (n.Type is not null)
                sb.Append("type=").Append(n.Type).Append(';');
            if (n.Format is not null)
                sb.Append("format=").Append(n.Format).Append(';');
            if (n.Nullable)
                sb.Append("nullable;");
            if (n.Enum.Count > 0)
                sb.Append("enum=").Append(string.Join(",", n.EnumText)).Append(';');
            if (n.Required.Count > 0)
                sb.Append("required=")
                    .Append(string.Join(",", n.Required.Order(StringComparer.Ordinal)))
                    .Append(';');
            foreach (var (name, p) in n.Properties ?? [])
            {
                sb.Append(name).Append(':');
                Write(sb, p);
            }
            if (n.Items is not null)
            {
                sb.Append("items:");
                Write(sb, n.Items);
            }
            foreach (var a in n.OneOf)
            {
                sb.Append("oneOf:");
                Write(sb, a);
            }
            foreach (var a in n.AllOf)
            {
                sb.Append("allOf:");
                Write(sb, a);
            }
            sb.Append('}');
        }
    }
}
