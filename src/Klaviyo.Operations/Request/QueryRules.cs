using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Globalization;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// The catalog's query rules compiled into lookups, once per operation: parameter names to their index in a
/// frozen dictionary, each parameter's allowed values in a frozen set (probed with spans, so a comma-joined list is
/// checked without splitting it into strings), its integer bounds, and which parameters are required. Checking a
/// query is then one pass over its pairs with no allocation. This is only the fast "is anything wrong?" test: when
/// something is, <see cref="QueryValidation"/> runs over the catalog entry as before and writes every message, so
/// the messages (and their order) are exactly those of <see cref="QueryValidation.Check(RequestOperation)"/>.
/// Pure.
/// </summary>
internal sealed class QueryRules
{
    // Beyond this many parameters (none in the catalog today) the "seen" set no longer fits one word: such an
    // operation is checked by QueryValidation directly.
    private const int MaxParameters = 64;

    private static readonly ConcurrentDictionary<string, QueryRules> ByOperationId = new(
        StringComparer.Ordinal
    );

    private readonly CatalogEntry _entry;
    private readonly FrozenDictionary<string, int> _index;
    private readonly Parameter[] _parameters;
    private readonly ulong _required;
    private readonly bool _tooMany;

    private sealed class Parameter(QueryParameterInfo info)
    {
        public readonly bool IsFilter = info.Name == "filter";
        public readonly bool IsArray = info.IsArray;
        public readonly bool Bounded = info.Minimum is not null || info.Maximum is not null;
        public readonly int? Minimum = info.Minimum;
        public readonly int? Maximum = info.Maximum;

        public readonly FrozenSet<string>? Allowed = info.AllowedValues.IsEmpty
            ? null
            : info.AllowedValues.ToFrozenSet(StringComparer.Ordinal);

        public FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> AllowedSpans =>
            Allowed!.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    private QueryRules(CatalogEntry entry)
    {
        _entry = entry;
        _tooMany = entry.QueryParameters.Count > MaxParameters;
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        var parameters = new List<Parameter>();
        ulong required = 0;
        foreach (var p in _tooMany ? Seq<QueryParameterInfo>() : entry.QueryParameters)
        {
            // A name listed twice is checked twice by QueryValidation; the first listing decides here and any
            // problem found sends the query there anyway.
            if (names.ContainsKey(p.Name))
                continue;
            names[p.Name] = parameters.Count;
            if (p.Required)
                required |= 1UL << parameters.Count;
            parameters.Add(new Parameter(p));
        }
        _index = names.ToFrozenDictionary(StringComparer.Ordinal);
        _parameters = [.. parameters];
        _required = required;
    }

    /// <summary>
    /// The problems with <paramref name="operation"/>'s query, as <see cref="QueryValidation.Check(RequestOperation)"/>
    /// gives them; empty (and nothing allocated) when it is fine.
    /// </summary>
    /// <param name="operation">The operation.</param>
    public static Seq<string> Check(RequestOperation operation)
    {
        if (operation.OperationId is not { } id)
            return Seq<string>();
        if (!ByOperationId.TryGetValue(id, out var rules))
        {
            // Only ids the catalog knows are kept (so the table stays as small as the catalog).
            if (OperationCatalog.Find(id).IfNoneUnsafe((CatalogEntry?)null) is not { } entry)
                return Seq<string>();
            rules = ByOperationId.GetOrAdd(id, _ => new QueryRules(entry));
        }
        return rules.IsFine(operation.Query)
            ? Seq<string>()
            : QueryValidation.Check(rules._entry, operation.Query);
    }

    // Whether QueryValidation would find nothing wrong: every required parameter given, every value of a known
    // parameter in its bounds, its allowed values and (for filter) the filter grammar. Unknown parameters are not
    // checked (as there).
    private bool IsFine(Seq<(string Name, string Value)> query)
    {
        if (_tooMany)
            return false;
        ulong seen = 0;
        var count = query.Count;
        for (var i = 0; i < count; i++)
        {
            var (name, value) = query[i];
            if (!_index.TryGetValue(name, out var at))
                continue;
            seen |= 1UL << at;
            if (!IsFine(_parameters[at], value))
                return false;
        }
        return (seen & _required) == _required;
    }

    private bool IsFine(Parameter parameter, string value)
    {
        if (parameter.IsFilter)
            return FilterValidation.Check(_entry, value).IsEmpty;
        if (parameter.Bounded)
        {
            if (
                !int.TryParse(
                    value,
                    NumberStyles.AllowLeadingSign,
                    CultureInfo.InvariantCulture,
                    out var number
                )
            )
                return false;
            if (number < parameter.Minimum || number > parameter.Maximum)
                return false;
        }
        if (parameter.Allowed is { } allowed)
        {
            if (!parameter.IsArray)
                return allowed.Contains(value);
            var lookup = parameter.AllowedSpans;
            var rest = value.AsSpan();
            while (true)
            {
                var comma = rest.IndexOf(',');
                var item = comma < 0 ? rest : rest[..comma];
                if (!lookup.Contains(item))
                    return false;
                if (comma < 0)
                    return true;
                rest = rest[(comma + 1)..];
            }
        }
        return true;
    }
}
