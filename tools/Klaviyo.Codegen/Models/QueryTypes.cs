using System.Text;
using System.Text.Json;

namespace Klaviyo.Codegen;

/// <summary>One generated type for enum-valued query parameters, e.g. <c>ProfileField</c>.</summary>
/// <param name="Name">The type's name.</param>
/// <param name="Summary">Its documentation summary.</param>
/// <param name="Values">Every value any operation allows, in first-seen order.</param>
public sealed record QueryType(string Name, string Summary, IReadOnlyList<string> Values);

/// <summary>
/// The typed query parameters: a value type with named members for every enum-valued query parameter, shared by
/// name: <c>fields[profile]</c> → <c>ProfileField</c>, <c>additional-fields[profile]</c> →
/// <c>ProfileAdditionalField</c>, <c>include</c> and <c>sort</c> of an operation whose response holds profiles →
/// <c>ProfileInclude</c>, <c>ProfileSort</c>; any other one → the resource and the parameter's name. A type holds
/// every value any operation allows; each operation's own values are still checked at run time
/// (<c>QueryValidation</c>).
/// </summary>
public sealed class QueryTypes
{
    private readonly Dictionary<(string OperationId, string Parameter), string> _byParameter = [];

    private QueryTypes(IReadOnlyList<QueryType> types) => Types = types;

    /// <summary>Every type, ordered by name.</summary>
    public IReadOnlyList<QueryType> Types { get; }

    /// <summary>The type of an operation's query parameter, or null when it is not enum-valued.</summary>
    public string? TypeOf(string operationId, string parameter) =>
        _byParameter.TryGetValue((operationId, parameter), out var t) ? t : null;

    /// <summary>Works out the types for <paramref name="spec"/>, whose JSON root is <paramref name="root"/>.</summary>
    /// <param name="spec">The spec.</param>
    /// <param name="root">Its JSON root.</param>
    /// <param name="taken">Names already used (the models'), which a query type must not reuse.</param>
    public static QueryTypes Of(Spec spec, JsonElement root, IReadOnlySet<string> taken)
    {
        var components = SchemaNode
            .ReadComponents(root)
            .ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var summaries = new Dictionary<string, string>(StringComparer.Ordinal);
        var order = new List<string>();
        var assigned = new List<(string OperationId, string Parameter, string Type)>();
        foreach (var op in spec.Operations)
        foreach (var p in op.QueryParameters.Where(p => p.Enum.Count > 0))
        {
            var resource = Resource(op, components);
            var (name, summary) = NameOf(op, p, resource);
            if (!values.TryGetValue(name, out var list))
            {
                values[name] = list = [];
                summaries[name] = summary;
                order.Add(name);
            }
            foreach (var v in p.Enum)
                if (!list.Contains(v))
                    list.Add(v);
            assigned.Add((op.OperationId, p.Name, name));
        }
        var rename = order.ToDictionary(
            n => n,
            n => taken.Contains(n) ? n + "Parameter" : n,
            StringComparer.Ordinal
        );
        var types = order
            .Select(n => new QueryType(rename[n], summaries[n], values[n]))
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .ToList();
        var result = new QueryTypes(types);
        foreach (var (id, parameter, type) in assigned)
            result._byParameter[(id, parameter)] = rename[type];
        return result;
    }

    private static (string Name, string Summary) NameOf(
        SpecOperation op,
        SpecParameter p,
        string? resource
    )
    {
        var owner = resource is null ? Naming.Pascal(op.OperationId) : Naming.Pascal(resource);
        var r = DocText.Escape(resource ?? op.OperationId);
        if (p.Name.StartsWith("fields[", StringComparison.Ordinal) && p.Name.EndsWith(']'))
        {
            var of = p.Name[7..^1];
            return (
                Naming.Pascal(of) + "Field",
                $"The fields of <c>{DocText.Escape(of)}</c> resources, for the sparse fieldset <c>{DocText.Escape(p.Name)}</c>: only these are returned."
            );
        }
        if (
            p.Name.StartsWith("additional-fields[", StringComparison.Ordinal)
            && p.Name.EndsWith(']')
        )
        {
            var of = p.Name[18..^1];
            return (
                Naming.Pascal(of) + "AdditionalField",
                $"The extra fields of <c>{DocText.Escape(of)}</c> resources that <c>{DocText.Escape(p.Name)}</c> asks for."
            );
        }
        return p.Name switch
        {
            "include" => (
                owner + "Include",
                $"The related resources an operation on <c>{r}</c> can include in its response (<c>include</c>)."
            ),
            "sort" => (
                owner + "Sort",
                $"The orders an operation on <c>{r}</c> can sort by (<c>sort</c>); a <c>Descending</c> member is the field prefixed with <c>-</c>."
            ),
            _ => (
                owner + Naming.Pascal(p.Name),
                $"The values of the <c>{DocText.Escape(p.Name)}</c> query parameter of <c>{DocText.Escape(op.OperationId)}</c>."
            ),
        };
    }

    /// <summary>The resource type (<c>profile</c>) of the operation's response <c>data</c>, when it has one.</summary>
    private static string? Resource(SpecOperation op, Dictionary<string, SchemaNode> components)
    {
        if (op.ResponseSchemaName is not { } name)
            return null;
        SchemaNode Resolve(SchemaNode n)
        {
            for (var i = 0; n.Ref is { } r && i < 32; i++)
                n = components[r];
            return n;
        }
        var data = Resolve(components[name]).Property("data");
        if (data is null)
            return null;
        data = Resolve(data);
        if (data.Type == "array" && data.Items is { } items)
            data = Resolve(items);
        if (data.AllOf.Count > 0)
            data = Resolve(data.AllOf.LastOrDefault(p => p.Ref is not null) ?? data.AllOf[^1]);
        var type = data.Property("type");
        if (type is null)
            return null;
        var e = Resolve(type);
        return e.IsStringEnum && e.IsConstant ? e.EnumText[0] : null;
    }

    /// <summary>The file of the typed query values, each a value type like the models' enums.</summary>
    public GeneratedFile Emit(string revision)
    {
        var sb = new StringBuilder();
        sb.Append(Generator.Header(revision));
        sb.Append("#nullable enable\n\n");
        sb.Append("namespace Klaviyo;\n");
        foreach (var t in Types)
        {
            sb.Append('\n');
            ModelsEmitter.EmitEnum(
                sb,
                new EnumDefinition(t.Name, t.Values) { Summary = t.Summary },
                jsonConverter: false
            );
        }
        return new GeneratedFile("QueryParameters.g.cs", sb.ToString());
    }
}
