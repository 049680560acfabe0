using System.Text;

namespace Klaviyo.Codegen;

/// <summary>
/// Writes <c>OperationCatalog.Entries.g.cs</c>: one <c>CatalogEntry</c> per operation, in spec order. Query parameters,
/// rate-limit tiers and filter sets shared by several operations are written once, in nested classes, and
/// referenced by name.
/// </summary>
public static class CatalogEmitter
{
    /// <summary>The catalog file.</summary>
    public static GeneratedFile Emit(string revision, IReadOnlyList<Shape> shapes)
    {
        var queryNames = new Names();
        var tierNames = new Names();
        var filterNames = new Names();
        var queryFields = new StringBuilder();
        var tierFields = new StringBuilder();
        var filterFields = new StringBuilder();
        var entries = new StringBuilder();

        foreach (var shape in shapes)
        {
            var op = shape.Operation;
            var queryRefs = new List<Code>();
            foreach (var p in op.QueryParameters)
            {
                var value = Code.Call(
                    "new",
                    Code.Text(Naming.Literal(p.Name)),
                    Code.Text(Bool(p.Required)),
                    Code.Text(Bool(p.Type == "array")),
                    Strings(p.Enum),
                    Code.Text(
                        p.Minimum?.ToString(System.Globalization.CultureInfo.InvariantCulture)
                            ?? "null"
                    ),
                    Code.Text(
                        p.Maximum?.ToString(System.Globalization.CultureInfo.InvariantCulture)
                            ?? "null"
                    )
                );
                var (name, isNew) = queryNames.For(value.Flat, Naming.Pascal(p.Name));
                if (isNew)
                    queryFields.Append(
                        value.Declaration(8, $"internal static readonly QueryParameterInfo {name}")
                    );
                queryRefs.Add(Code.Text("QueryParameters." + name));
            }

            var tier = Code.Call(
                "new",
                RateCode(op, "burst"),
                RateCode(op, "steady"),
                RateCode(op, "daily")
            );
            var tierName = string.Concat(
                op.RateLimit.Select(r => Naming.Pascal(r.Kind) + r.Value.Split('/')[0])
            );
            var (tn, tierIsNew) = tierNames.For(tier.Flat, tierName.Length > 0 ? tierName : "None");
            if (tierIsNew)
                tierFields.Append(
                    tier.Declaration(8, $"internal static readonly RateLimitTier {tn}")
                );

            Code filters;
            if (op.Filters.Count == 0)
                filters = Code.Text("Of<FilterFieldInfo>()");
            else
            {
                var set = Code.Call(
                    "Of",
                    op.Filters.Select(f =>
                        Code.Call(
                            "Filter",
                            [
                                Code.Text(Naming.Literal(f.Field)),
                                Code.Text(Naming.Literal(f.ValueType ?? "none")),
                                .. Named("format", f.ValueFormat),
                                .. Named("single", f.Single),
                                .. Named("list", f.List),
                                .. Named("none", f.None),
                                .. Named("allowed", f.Enum),
                            ]
                        )
                    )
                );
                var (fn, filterIsNew) = filterNames.For(set.Flat, shape.MethodName);
                if (filterIsNew)
                    filterFields.Append(
                        set.Declaration(8, $"internal static readonly Seq<FilterFieldInfo> {fn}")
                    );
                filters = Code.Text("FilterSets." + fn);
            }

            var paginated = op.QueryParameters.Any(p => p.Name is "page[cursor]" or "page_cursor");
            var entry = Code.Call(
                "new CatalogEntry",
                Code.Text(Naming.Literal(op.OperationId)),
                Code.Text(Naming.Literal(shape.ClassName)),
                Code.Text(Naming.Literal(shape.MethodName)),
                Code.Text("HttpMethod." + Naming.Pascal(op.Method.ToLowerInvariant())),
                Code.Text(Naming.Literal(op.Path)),
                Strings([.. op.PathParameters.Select(p => p.Name)]),
                Code.Text(Naming.Literal(op.Body?.ContentType)),
                queryRefs.Count == 0
                    ? Code.Text("Of<QueryParameterInfo>()")
                    : Code.Call("Of", queryRefs),
                Code.Text(
                    op.SuccessStatus.ToString(System.Globalization.CultureInfo.InvariantCulture)
                ),
                Code.Text("RateLimits." + tn),
                Strings(op.Scopes),
                Strings(op.Aliases),
                Code.Text(Bool(paginated)),
                filters,
                Code.Text(Naming.Literal(op.Summary))
            );
            entries.Append("        ").Append(entry.Print(8, 8, ",")).Append(",\n");
        }

        var sb = new StringBuilder();
        sb.Append(Generator.Header(revision));
        sb.Append("#nullable enable\n\n");
        sb.Append("using LanguageExt;\n\n");
        sb.Append("namespace Klaviyo;\n\n");
        sb.Append("public static partial class OperationCatalog\n{\n");
        sb.Append("    private static readonly CatalogEntry[] GeneratedEntries =\n    [\n");
        sb.Append(entries);
        sb.Append("    ];\n\n");
        sb.Append(
            "    private static Seq<T> Of<T>(params T[] items) => LanguageExt.Prelude.toSeq(items);\n\n"
        );
        sb.Append(
            "    private static Rate PerSecond(int count) => new(count, TimeSpan.FromSeconds(1));\n\n"
        );
        sb.Append(
            "    private static Rate PerMinute(int count) => new(count, TimeSpan.FromMinutes(1));\n\n"
        );
        sb.Append(
            "    private static Rate PerHour(int count) => new(count, TimeSpan.FromHours(1));\n\n"
        );
        sb.Append(
            "    private static Rate PerDay(int count) => new(count, TimeSpan.FromDays(1));\n\n"
        );
        sb.Append(
            """
                private static FilterFieldInfo Filter(
                    string field,
                    string valueType,
                    string? format = null,
                    Seq<string> single = default,
                    Seq<string> list = default,
                    Seq<string> none = default,
                    Seq<string> allowed = default
                ) =>
                    new(field, single, list, valueType, format)
                    {
                        NoValueOperators = none,
                        AllowedValues = allowed,
                    };

            """.Replace("\r\n", "\n")
        );
        sb.Append('\n');
        sb.Append("    private static class QueryParameters\n    {\n")
            .Append(queryFields)
            .Append("    }\n\n");
        sb.Append("    private static class RateLimits\n    {\n")
            .Append(tierFields)
            .Append("    }\n\n");
        sb.Append("    private static class FilterSets\n    {\n")
            .Append(filterFields)
            .Append("    }\n");
        sb.Append("}\n");
        return new GeneratedFile("OperationCatalog.Entries.g.cs", sb.ToString());
    }

    private static IEnumerable<Code> Named(string name, string? value) =>
        value is null ? [] : [Code.Text($"{name}: {Naming.Literal(value)}")];

    private static IEnumerable<Code> Named(string name, IReadOnlyList<string> values) =>
        values.Count == 0 ? [] : [Code.Prefixed(name + ": ", Strings(values))];

    private static string Bool(bool b) => b ? "true" : "false";

    private static Code Strings(IReadOnlyList<string> values) =>
        values.Count == 0
            ? Code.Text("Of<string>()")
            : Code.Call("Of", values.Select(v => Code.Text(Naming.Literal(v))));

    private static Code RateCode(SpecOperation op, string kind)
    {
        var found = op.RateLimit.FirstOrDefault(r => r.Kind == kind).Value;
        if (found is null)
            return Code.Text("null");
        var parts = found.Split('/');
        var unit = parts.Length == 2 ? parts[1].Trim() : "";
        var fn = unit switch
        {
            "s" => "PerSecond",
            "m" => "PerMinute",
            "h" => "PerHour",
            "d" => "PerDay",
            _ => throw new InvalidOperationException($"{op.OperationId}: unknown rate '{found}'"),
        };
        if (
            !int.TryParse(
                parts[0].Trim(),
                System.Globalization.CultureInfo.InvariantCulture,
                out var count
            )
        )
            throw new InvalidOperationException($"{op.OperationId}: unknown rate '{found}'");
        return Code.Text($"{fn}({count})");
    }

    /// <summary>Stable names for distinct values: the same value gets the same name; a new value with a taken
    /// name gets the next free numbered name (<c>PageSize2</c>).</summary>
    private sealed class Names
    {
        private readonly Dictionary<string, string> _byValue = new(StringComparer.Ordinal);
        private readonly HashSet<string> _taken = new(StringComparer.Ordinal);

        public (string Name, bool IsNew) For(string value, string preferred)
        {
            if (_byValue.TryGetValue(value, out var existing))
                return (existing, false);
            var name = preferred;
            for (var i = 2; !_taken.Add(name); i++)
                name = preferred + i;
            _byValue[value] = name;
            return (name, true);
        }
    }
}
