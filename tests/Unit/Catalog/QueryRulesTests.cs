using LanguageExt;
using Xunit;
using static LanguageExt.Prelude;

namespace Klaviyo.Tests;

/// <summary>
/// The compiled query rules (the catalog turned into lookups once) find a problem exactly when the catalog scan
/// does, and then give its messages word for word.
/// </summary>
public class QueryRulesTests
{
    // For each parameter: no value, each allowed value, a comma list of allowed values, an allowed value with an
    // empty item or a stray one, a near miss, an empty value, bounds and just outside them, a non-number.
    private static IEnumerable<string> Candidates(QueryParameterInfo p)
    {
        yield return "";
        yield return "nonsense";
        foreach (var v in p.AllowedValues.Take(3))
        {
            yield return v;
            yield return v.ToUpperInvariant();
            yield return v + ",";
            yield return "," + v;
            yield return v + "," + v;
            yield return v + ",nonsense";
        }
        if (p.AllowedValues.Count >= 2)
            yield return p.AllowedValues[0] + "," + p.AllowedValues[1];
        if (p.Minimum is { } min)
        {
            yield return min.ToString();
            yield return (min - 1).ToString();
        }
        if (p.Maximum is { } max)
        {
            yield return max.ToString();
            yield return (max + 1).ToString();
            yield return "+" + max;
        }
        yield return "1.5";
        yield return "20";
    }

    private static void AssertSame(RequestOperation op)
    {
        var scanned = QueryValidation.Check(op).ToList();
        var compiled = QueryRules.Check(op).ToList();
        Assert.Equal(scanned, compiled);
    }

    [Fact]
    public void Every_value_of_every_catalog_parameter_is_judged_as_the_catalog_scan_judges_it()
    {
        var checkedQueries = 0;
        foreach (var entry in OperationCatalog.All)
        {
            var op = new RequestOperation(HttpMethod.Get, "/x") { OperationId = entry.OperationId };
            AssertSame(op);
            var requiredOnly = entry
                .QueryParameters.Filter(p => p.Required)
                .Map(p => (p.Name, p.AllowedValues.HeadOrNone().IfNone("1")))
                .ToSeq();
            foreach (var p in entry.QueryParameters)
            foreach (var value in Candidates(p))
            {
                AssertSame(op with { Query = Seq1((p.Name, value)) });
                AssertSame(op with { Query = requiredOnly.Add((p.Name, value)) });
                checkedQueries += 2;
            }
            AssertSame(op with { Query = requiredOnly.Add(("unknown[param]", "x")) });
        }
        Assert.True(checkedQueries > 1000, $"only {checkedQueries} queries checked");
    }

    [Fact]
    public void Aliases_and_unknown_operations_are_judged_as_the_catalog_scan_judges_them()
    {
        foreach (var entry in OperationCatalog.All.Where(e => !e.Aliases.IsEmpty).Take(5))
        foreach (var alias in entry.Aliases)
        {
            var op = new RequestOperation(HttpMethod.Get, "/x") { OperationId = alias };
            AssertSame(op);
            foreach (var p in entry.QueryParameters)
                AssertSame(op with { Query = Seq1((p.Name, "nonsense")) });
        }
        AssertSame(
            new RequestOperation(HttpMethod.Get, "/x")
            {
                OperationId = "no_such_operation",
                Query = Seq1(("page[size]", "-1")),
            }
        );
    }

    [Fact]
    public void A_repeated_parameter_is_checked_for_each_value()
    {
        var op = Profiles.GetProfiles(pageSize: 20).WithQuery("page[size]", "500");

        var problems = QueryRules.Check(op);

        Assert.Single(problems);
        Assert.Equal(QueryValidation.Check(op).ToList(), problems.ToList());
    }

    [Fact]
    public void A_filter_is_checked_by_the_filter_grammar()
    {
        var good = Profiles.GetProfiles(filter: "equals(email,\"ada@example.com\")");
        var bad = Profiles.GetProfiles(filter: "equals(emial,\"ada@example.com\")");

        Assert.Empty(QueryRules.Check(good));
        Assert.NotEmpty(QueryRules.Check(bad));
        Assert.Equal(QueryValidation.Check(bad).ToList(), QueryRules.Check(bad).ToList());
    }
}
