using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// Checks a <c>filter</c> string against what the spec allows for an operation (<c>x-klaviyo-filters</c>): it must
/// parse; and when the spec lists fields, every field used must be listed, each operator must be allowed for that
/// field (single-value operators and list operators are listed apart), and date-time, boolean and numeric fields
/// must get values of that kind (Klaviyo rejects a quoted date-time, for one). When the spec lists no fields, only
/// the syntax is checked.
/// </summary>
internal static class FilterValidation
{
    /// <summary>The problems with <paramref name="filter"/> for <paramref name="entry"/>; empty when it is fine.</summary>
    /// <param name="entry">The operation's catalog entry.</param>
    /// <param name="filter">The filter expression as sent.</param>
    public static Seq<string> Check(CatalogEntry entry, string filter) =>
        Filter
            .Parse(filter)
            .Match(
                tree => entry.Filters.IsEmpty ? Seq<string>() : Check(entry, tree).Distinct(),
                error => Seq1($"filter '{Clip(filter)}' is not a valid filter expression: {error}")
            );

    /// <summary>Quotes a filter in a message; a very long one (a deep filter built in code runs to megabytes) is cut.</summary>
    private static string Clip(string filter) =>
        filter.Length <= 500 ? filter : $"{filter[..500]}… ({filter.Length} characters)";

    /// <summary>
    /// The problems of every condition in the tree, in reading order. The tree comes from the parser (at most
    /// <see cref="FilterParser.MaxDepth"/> deep), but the walk keeps its own stack anyway, as every filter walk does.
    /// </summary>
    private static Seq<string> Check(CatalogEntry entry, Filter filter)
    {
        var problems = new List<string>();
        var pending = new Stack<Filter>();
        pending.Push(filter);
        while (pending.TryPop(out var node))
        {
            // On the node as an object: a switch statement over a Filter itself would switch on its implicit string.
            switch ((object)node)
            {
                case Filter.AllOf all:
                    PushInOrder(all.Filters);
                    break;
                case Filter.AnyOf any:
                    PushInOrder(any.Filters);
                    break;
                case Filter.Negation negation:
                    pending.Push(negation.Operand);
                    break;
                case Filter.Presence has:
                    problems.AddRange(CheckPresence(entry, has.Field));
                    break;
                case Filter.Comparison c:
                    problems.AddRange(CheckComparison(entry, c));
                    break;
            }
        }
        return problems.ToSeq();

        void PushInOrder(Seq<Filter> filters)
        {
            foreach (var f in filters.Rev())
                pending.Push(f);
        }
    }

    private static Seq<string> CheckPresence(CatalogEntry entry, string field) =>
        FindField(entry, field)
            .Match(
                info =>
                    info.SingleOperators.Contains("has")
                    || info.ListOperators.Contains("has")
                    || info.NoValueOperators.Contains("has")
                        ? Seq<string>()
                        : Seq1(
                            $"filter operator 'has' is not allowed on field '{field}' for {entry.OperationId}; allowed: {Allowed(info)}"
                        ),
                () => UnknownField(entry, field)
            );

    private static Seq<string> CheckComparison(CatalogEntry entry, Filter.Comparison c) =>
        FindField(entry, c.Field)
            .Match(
                info =>
                {
                    var isList = c.Value is FilterValue.List;
                    var allowed = isList ? info.ListOperators : info.SingleOperators;
                    if (!allowed.Contains(c.Operator))
                        return Seq1(
                            $"filter operator '{c.Operator}' with {(isList ? "a list" : "a single value")} is not allowed on field '{c.Field}' for {entry.OperationId}; allowed: {Allowed(info)}"
                        );
                    return CheckValueKind(entry, info, c);
                },
                () => UnknownField(entry, c.Field)
            );

    private static Seq<string> CheckValueKind(
        CatalogEntry entry,
        FilterFieldInfo info,
        Filter.Comparison c
    )
    {
        var (expected, fits) = (info.ValueType, info.ValueFormat) switch
        {
            (_, "date-time") => (
                "an unquoted ISO 8601 date-time, like 2024-08-01T00:00:00Z",
                (Func<FilterValue, bool>)(v => v is FilterValue.DateTime)
            ),
            ("boolean", _) => ("true or false", v => v is FilterValue.Boolean),
            ("integer" or "number", _) => ("a number", v => v is FilterValue.Number),
            _ => ((string?)null, _ => true),
        };
        if (expected is null)
            return Seq<string>();
        var values = c.Value is FilterValue.List list ? list.Items : Seq1(c.Value);
        return values.Exists(v => v is not FilterValue.NullValue && !fits(v))
            ? Seq1(
                $"filter field '{c.Field}' for {entry.OperationId} takes {expected}, not {c.Value}"
            )
            : Seq<string>();
    }

    private static Option<FilterFieldInfo> FindField(CatalogEntry entry, string field) =>
        entry.Filters.Find(f => f.Field == field);

    private static Seq<string> UnknownField(CatalogEntry entry, string field) =>
        Seq1(
            $"filter field '{field}' is not allowed for {entry.OperationId}; allowed fields: {string.Join(", ", entry.Filters.Map(f => f.Field))}"
        );

    private static string Allowed(FilterFieldInfo info)
    {
        var parts = info
            .SingleOperators.Filter(o => o != "has")
            .Map(o => $"{o} (single value)")
            .Concat(info.ListOperators.Filter(o => o != "has").Map(o => $"{o} (list)"));
        if (
            info.SingleOperators.Contains("has")
            || info.ListOperators.Contains("has")
            || info.NoValueOperators.Contains("has")
        )
            parts = parts.Add("has");
        return parts.IsEmpty ? "none" : string.Join(", ", parts);
    }
}
