using System.Globalization;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// Checks an operation's query against what the spec allows, before anything is sent: enum values of
/// <c>fields[…]</c>, <c>include</c>, <c>sort</c>, <c>additional-fields[…]</c> (and any other enum parameter),
/// integer bounds such as <c>page[size]</c>, required parameters, and <c>filter</c> expressions
/// (<see cref="FilterValidation"/>). Operations without a known <see cref="RequestOperation.OperationId"/> are not
/// checked. The allowed values come from the generated <see cref="OperationCatalog"/>.
/// </summary>
internal static class QueryValidation
{
    /// <summary>How many allowed values a message lists before it says how many more there are.</summary>
    internal const int ListedValues = 20;

    /// <summary>The problems with <paramref name="operation"/>'s query; empty when it is fine.</summary>
    /// <param name="operation">The operation.</param>
    public static Seq<string> Check(RequestOperation operation) =>
        operation.OperationId is { } id
            ? OperationCatalog
                .Find(id)
                .Match(entry => Check(entry, operation.Query), () => Seq<string>())
            : Seq<string>();

    /// <summary>The problems with <paramref name="query"/> for <paramref name="entry"/>.</summary>
    /// <param name="entry">The operation's catalog entry.</param>
    /// <param name="query">The query pairs as they will be sent.</param>
    public static Seq<string> Check(CatalogEntry entry, Seq<(string Name, string Value)> query)
    {
        var problems = Seq<string>();
        foreach (var parameter in entry.QueryParameters)
        {
            var given = query.Filter(q => q.Name == parameter.Name).Map(q => q.Value);
            if (given.IsEmpty)
            {
                if (parameter.Required)
                    problems = problems.Add(
                        $"query parameter '{parameter.Name}' is required by {entry.OperationId} but was not given"
                    );
                continue;
            }
            foreach (var value in given)
                problems = problems + CheckValue(entry, parameter, value);
        }
        return problems;
    }

    private static Seq<string> CheckValue(
        CatalogEntry entry,
        QueryParameterInfo parameter,
        string value
    )
    {
        if (parameter.Name == "filter")
            return FilterValidation.Check(entry, value);

        var problems = Seq<string>();
        if (parameter.Minimum is not null || parameter.Maximum is not null)
        {
            var range = Range(parameter);
            if (
                !int.TryParse(
                    value,
                    NumberStyles.AllowLeadingSign,
                    CultureInfo.InvariantCulture,
                    out var number
                )
            )
                problems = problems.Add(
                    $"query parameter '{parameter.Name}' is '{value}', which is not an integer; {entry.OperationId} allows {range}"
                );
            else if (number < parameter.Minimum || number > parameter.Maximum)
                problems = problems.Add(
                    $"query parameter '{parameter.Name}' is {number}, outside the {range} that {entry.OperationId} allows"
                );
        }

        if (!parameter.AllowedValues.IsEmpty)
        {
            var items = parameter.IsArray ? value.Split(',') : [value];
            var bad = items.Where(v => !parameter.AllowedValues.Contains(v)).Distinct().ToList();
            if (bad.Count > 0)
                problems = problems.Add(NotAllowed(entry, parameter, bad));
        }
        return problems;
    }

    private static string Range(QueryParameterInfo p) =>
        (p.Minimum, p.Maximum) switch
        {
            ({ } min, { } max) => $"{min}–{max}",
            ({ } min, null) => $"{min} or more",
            (null, { } max) => $"{max} or less",
            _ => "any integer",
        };

    private static string NotAllowed(
        CatalogEntry entry,
        QueryParameterInfo parameter,
        IReadOnlyList<string> bad
    )
    {
        var allowed = parameter.AllowedValues;
        var what = string.Join(
            ", ",
            bad.Select(v =>
                v.Length == 0 ? "an empty value"
                : Closest(v, allowed) is { } near ? $"'{v}' (did you mean '{near}'?)"
                : $"'{v}'"
            )
        );
        var listed = string.Join(", ", allowed.Take(ListedValues));
        var more =
            allowed.Count > ListedValues
                ? $" and {allowed.Count - ListedValues} more (OperationCatalog.Find(\"{entry.OperationId}\") lists them all)"
                : "";
        return $"query parameter '{parameter.Name}' has {what}, which {entry.OperationId} does not allow; allowed values: {listed}{more}";
    }

    /// <summary>The allowed value nearest to a typo, when one is near enough to be a likely meaning.</summary>
    private static string? Closest(string value, Seq<string> allowed)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in allowed)
        {
            var d = Distance(value.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (d < bestDistance)
                (best, bestDistance) = (candidate, d);
        }
        return best is not null && bestDistance <= Math.Max(1, Math.Min(3, value.Length / 3))
            ? best
            : null;
    }

    // Levenshtein distance with transpositions counted as one edit (optimal string alignment).
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
            d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++)
            d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        for (var j = 1; j <= b.Length; j++)
        {
            var cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
        }
        return d[a.Length, b.Length];
    }
}
