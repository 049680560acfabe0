namespace Klaviyo.Codegen;

/// <summary>The C# type of a member, a list item or a union case.</summary>
public abstract record ClrType
{
    /// <summary>The type as written in C# (without <c>?</c>).</summary>
    public abstract string Code { get; }

    /// <summary>Whether a value type (so <c>?</c> makes a <c>Nullable&lt;T&gt;</c>).</summary>
    public abstract bool IsValueType { get; }

    /// <summary>The type written with <c>?</c> when <paramref name="nullable"/>.</summary>
    public string Written(bool nullable) => nullable ? Code + "?" : Code;

    /// <summary>A built-in or framework type: <c>string</c>, <c>long</c>, <c>double</c>, <c>bool</c>,
    /// <c>DateTimeOffset</c>, <c>JsonObject</c>, <c>JsonNode</c>.</summary>
    public sealed record Builtin(string Name, bool ValueType) : ClrType
    {
        /// <inheritdoc />
        public override string Code => Name;

        /// <inheritdoc />
        public override bool IsValueType => ValueType;
    }

    /// <summary>A generated model.</summary>
    public sealed record Model(ModelDefinition Definition) : ClrType
    {
        /// <inheritdoc />
        public override string Code => Definition.Name;

        /// <inheritdoc />
        public override bool IsValueType => Definition is EnumDefinition;
    }

    /// <summary>A read-only list.</summary>
    public sealed record ListOf(ClrType Item) : ClrType
    {
        /// <inheritdoc />
        public override string Code => $"IReadOnlyList<{Item.Code}>";

        /// <inheritdoc />
        public override bool IsValueType => false;
    }

    /// <summary><c>string</c>.</summary>
    public static readonly ClrType String = new Builtin("string", false);

    /// <summary><c>long</c>.</summary>
    public static readonly ClrType Long = new Builtin("long", true);

    /// <summary><c>double</c>.</summary>
    public static readonly ClrType Double = new Builtin("double", true);

    /// <summary><c>bool</c>.</summary>
    public static readonly ClrType Bool = new Builtin("bool", true);

    /// <summary><c>DateTimeOffset</c>.</summary>
    public static readonly ClrType DateTime = new Builtin("DateTimeOffset", true);

    /// <summary><c>JsonObject</c>: a free-form object.</summary>
    public static readonly ClrType FreeObject = new Builtin("JsonObject", false);

    /// <summary><c>JsonNode</c>: any JSON value.</summary>
    public static readonly ClrType AnyJson = new Builtin("JsonNode", false);
}

/// <summary>A generated type.</summary>
public abstract class ModelDefinition(string name)
{
    /// <summary>The C# name.</summary>
    public string Name { get; set; } = name;

    /// <summary>The documentation summary (XML doc text).</summary>
    public string Summary { get; set; } = "";

    /// <summary>The component schema this type belongs to (for grouping into files).</summary>
    public string FileGroup { get; set; } = name;
}

/// <summary>A record for an object schema.</summary>
public sealed class RecordDefinition(string name) : ModelDefinition(name)
{
    /// <summary>The members in spec order.</summary>
    public List<PropertyDefinition> Properties { get; } = [];
}

/// <summary>One member of a record.</summary>
/// <param name="JsonName">The spec's name, exactly.</param>
/// <param name="Name">The C# property name.</param>
/// <param name="Type">Its type.</param>
/// <param name="Nullable">Whether written with <c>?</c>.</param>
/// <param name="InConstructor">Whether a constructor parameter (required by the spec, not a constant).</param>
/// <param name="Constant">The C# expression of the single allowed value, for constants.</param>
/// <param name="Doc">The documentation (XML doc text).</param>
public sealed record PropertyDefinition(
    string JsonName,
    string Name,
    ClrType Type,
    bool Nullable,
    bool InConstructor,
    string? Constant,
    string Doc
)
{
    /// <summary>The constructor parameter name.</summary>
    public string ParameterName => Naming.Camel(Name);
}

/// <summary>A string enum: a value type that keeps any string, with a named member per spec value.</summary>
public sealed class EnumDefinition(string name, IReadOnlyList<string> values)
    : ModelDefinition(name)
{
    /// <summary>The spec's values, in spec order.</summary>
    public IReadOnlyList<string> Values { get; set; } = values;

    /// <summary>The member names, parallel to <see cref="Values"/>.</summary>
    public IReadOnlyList<string> Members => EnumMembers.Names(Name, Values);
}

/// <summary>A <c>oneOf</c>: a closed hierarchy with a case per alternative and an unknown case.</summary>
public sealed class UnionDefinition(string name) : ModelDefinition(name)
{
    /// <summary>The cases in spec order.</summary>
    public List<UnionCase> Cases { get; } = [];

    /// <summary>The member whose constant value says which case an object is, or null to match by shape.</summary>
    public string? Discriminator { get; set; }
}

/// <summary>One alternative of a union.</summary>
/// <param name="Name">The nested case type's name.</param>
/// <param name="Type">The type of the value it holds.</param>
/// <param name="Token">The JSON kind it is read from: <c>object</c>, <c>string</c>, <c>number</c>, <c>boolean</c>, <c>array</c>.</param>
/// <param name="DiscriminatorValue">The discriminator's value for this case (objects of a discriminated union).</param>
/// <param name="RequiredNames">Members an object must have to be this case (shape matching).</param>
/// <param name="Constants">Members with a single allowed value, and that value (shape matching).</param>
/// <param name="Members">Every member an object of this case may have (shape matching prefers the case that
/// knows most of an object's members).</param>
/// <param name="Doc">The documentation of the case.</param>
public sealed record UnionCase(
    string Name,
    ClrType Type,
    string Token,
    string? DiscriminatorValue,
    IReadOnlyList<string> RequiredNames,
    IReadOnlyList<(string Name, string Value)> Constants,
    IReadOnlyList<string> Members,
    string Doc
);

/// <summary>Member names for enum values: PascalCase words, unique, never the type's own name.</summary>
public static class EnumMembers
{
    private static readonly HashSet<string> Reserved =
    [
        "Value",
        "Known",
        "IsKnown",
        "ToString",
        "Equals",
        "GetHashCode",
        "GetType",
        "Deconstruct",
        "From",
    ];

    /// <summary>The member names for <paramref name="values"/> of type <paramref name="typeName"/>.</summary>
    public static IReadOnlyList<string> Names(string typeName, IReadOnlyList<string> values)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var names = new List<string>();
        foreach (var v in values)
        {
            var name = Member(v);
            if (name == typeName || Reserved.Contains(name))
                name += "Member";
            var candidate = name;
            for (var i = 2; !used.Add(candidate); i++)
                candidate = name + i;
            names.Add(candidate);
        }
        return names;
    }

    /// <summary>
    /// <c>double_opt_in</c> → <c>DoubleOptIn</c>; <c>-created</c> → <c>CreatedDescending</c>;
    /// <c>""</c> → <c>Empty</c>; a value starting with a digit gets a leading <c>_</c>.
    /// </summary>
    public static string Member(string value)
    {
        if (value.Length == 0)
            return "Empty";
        if (value.Length > 1 && value[0] == '-' && char.IsAsciiLetter(value[1]))
            return Member(value[1..]) + "Descending";
        var sb = new System.Text.StringBuilder();
        foreach (var w in Naming.Words(value))
            // SYSTEM_DRAGGABLE → SystemDraggable; camelCase words keep their inner capitals.
            sb.Append(char.ToUpperInvariant(w[0]))
                .Append(w.All(c => !char.IsLower(c)) ? w[1..].ToLowerInvariant() : w[1..]);
        if (sb.Length == 0 || char.IsAsciiDigit(sb[0]))
            sb.Insert(0, '_');
        return sb.ToString();
    }
}
