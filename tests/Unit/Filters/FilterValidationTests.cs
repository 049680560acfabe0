using LanguageExt;
using Xunit;
using static LanguageExt.Prelude;

namespace Klaviyo.Tests.Filters;

public class FilterValidationTests
{
    private static readonly Seq<string> Ordering = Seq(
        "greater-or-equal",
        "greater-than",
        "less-or-equal",
        "less-than"
    );

    private static FilterFieldInfo Field(
        string name,
        Seq<string> single,
        Seq<string> list,
        string type = "string",
        string? format = null
    ) => new(name, single, list, type, format);

    // Shaped like get_campaigns' x-klaviyo-filters in revision 2026-07-15.
    private static readonly CatalogEntry Campaigns = Entry(
        "get_campaigns",
        Seq(
            Field("id", Seq<string>(), Seq1("any")),
            Field("messages.channel", Seq1("equals"), Seq<string>()),
            Field("name", Seq1("contains"), Seq<string>()),
            Field("status", Seq1("equals"), Seq("any", "equals")),
            Field("archived", Seq1("equals"), Seq<string>(), "boolean"),
            Field("created_at", Ordering, Seq<string>(), "string", "date-time"),
            Field("rating", Seq("equals", "greater-or-equal"), Seq<string>(), "integer")
        )
    );

    private static CatalogEntry Entry(string operationId, Seq<FilterFieldInfo> filters) =>
        new(
            operationId,
            "Campaigns",
            "GetCampaigns",
            HttpMethod.Get,
            "/api/campaigns",
            Seq<string>(),
            null,
            Seq<QueryParameterInfo>(),
            200,
            new RateLimitTier(null, null, null),
            Seq<string>(),
            Seq<string>(),
            true,
            filters,
            "Get Campaigns"
        );

    [Theory]
    [InlineData("equals(messages.channel,'email')")]
    [InlineData("any(id,[\"01A\",\"01B\"])")]
    [InlineData("equals(status,'Sent')")]
    [InlineData("equals(status,['Sent','Draft'])")]
    [InlineData("any(status,['Sent'])")]
    [InlineData("equals(archived,false)")]
    [InlineData("greater-or-equal(created_at,2024-08-01T00:00:00-07:00)")]
    [InlineData("and(equals(messages.channel,'email'),less-than(created_at,2024-09-01))")]
    [InlineData("equals(messages.channel,'email'),contains(name,'Spring')")]
    [InlineData("greater-or-equal(rating,4)")]
    [InlineData("equals(rating,null)")]
    public void Accepts_filters_using_only_listed_fields_and_operators(string filter)
    {
        Assert.Empty(FilterValidation.Check(Campaigns, filter));
    }

    [Fact]
    public void Accepts_a_filter_built_with_the_typed_builder()
    {
        Filter f =
            Filter.Equals("messages.channel", "email")
            & Filter.GreaterOrEqual(
                "created_at",
                new DateTimeOffset(2024, 8, 1, 0, 0, 0, TimeSpan.Zero)
            )
            & Filter.Any("id", "a", "b");

        Assert.Empty(FilterValidation.Check(Campaigns, f));
    }

    [Fact]
    public void A_field_that_is_not_listed_is_named_with_the_allowed_fields()
    {
        var problem = Assert.Single(FilterValidation.Check(Campaigns, "equals(email,'a@b.c')"));

        Assert.Contains("'email'", problem);
        Assert.Contains("get_campaigns", problem);
        Assert.Contains(
            "id, messages.channel, name, status, archived, created_at, rating",
            problem
        );
    }

    [Fact]
    public void An_operator_not_allowed_on_a_field_is_named_with_the_allowed_operators()
    {
        var problem = Assert.Single(FilterValidation.Check(Campaigns, "contains(status,'Se')"));

        Assert.Contains("'contains'", problem);
        Assert.Contains("'status'", problem);
        Assert.Contains("equals (single value), any (list), equals (list)", problem);
    }

    [Fact]
    public void Single_value_and_list_operators_are_checked_apart()
    {
        var listWhereOnlySingle = Assert.Single(
            FilterValidation.Check(Campaigns, "equals(messages.channel,['email','sms'])")
        );
        var singleWhereOnlyList = Assert.Single(
            FilterValidation.Check(Campaigns, "equals(id,'01A')")
        );

        Assert.Contains("with a list", listWhereOnlySingle);
        Assert.Contains("equals (single value)", listWhereOnlySingle);
        Assert.Contains("with a single value", singleWhereOnlyList);
        Assert.Contains("any (list)", singleWhereOnlyList);
    }

    [Fact]
    public void A_quoted_date_time_is_reported_since_Klaviyo_rejects_it()
    {
        var problem = Assert.Single(
            FilterValidation.Check(Campaigns, "greater-or-equal(created_at,'2024-08-01T00:00:00Z')")
        );

        Assert.Contains("unquoted ISO 8601 date-time", problem);
        Assert.Contains("created_at", problem);
    }

    [Theory]
    [InlineData("equals(archived,'false')", "true or false")]
    [InlineData("greater-or-equal(rating,'4')", "a number")]
    public void Values_of_the_wrong_kind_are_reported(string filter, string expected)
    {
        Assert.Contains(expected, Assert.Single(FilterValidation.Check(Campaigns, filter)));
    }

    [Fact]
    public void Problems_inside_and_or_not_are_all_found()
    {
        var problems = FilterValidation.Check(
            Campaigns,
            "and(equals(messages.channel,'email'),or(equals(email,'x'),not(contains(status,'S'))))"
        );

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("'email'"));
        Assert.Contains(problems, p => p.Contains("'contains'"));
    }

    [Fact]
    public void The_same_problem_is_reported_once()
    {
        Assert.Single(
            FilterValidation.Check(Campaigns, "and(equals(email,'a'),equals(email,'b'))")
        );
    }

    [Fact]
    public void An_unparsable_filter_is_a_problem_that_says_where()
    {
        var problem = Assert.Single(
            FilterValidation.Check(Campaigns, "equals(messages.channel,email)")
        );

        Assert.Contains("not a valid filter expression", problem);
        Assert.Contains("put text in quotes", problem);
        Assert.Contains("at character", problem);
    }

    [Fact]
    public void When_the_spec_lists_no_fields_only_the_syntax_is_checked()
    {
        var open = Entry("get_things", Seq<FilterFieldInfo>());

        Assert.Empty(FilterValidation.Check(open, "contains-all(anything.at.all,['x'])"));
        Assert.Empty(FilterValidation.Check(open, "equals(x,'2024-01-01')"));
        Assert.Single(FilterValidation.Check(open, "equals(x,"));
    }

    [Fact]
    public void Has_is_allowed_where_the_spec_lists_it_for_the_field_in_either_list()
    {
        // The spec lists has under operators.none; the catalog may carry it with the single or the list operators.
        var events = Entry(
            "get_events",
            Seq(
                Field("profile", Seq1("has"), Seq<string>(), ""),
                Field("metric", Seq<string>(), Seq1("has"), ""),
                Field("metric_id", Seq1("equals"), Seq<string>())
            )
        );

        Assert.Empty(FilterValidation.Check(events, "has(profile),has(metric)"));
        var problem = Assert.Single(FilterValidation.Check(events, "has(metric_id)"));
        Assert.Contains("'has'", problem);
        Assert.Contains("equals (single value)", problem);
        Assert.Contains(
            "allowed: has",
            Assert.Single(FilterValidation.Check(events, "equals(profile,'x')"))
        );
    }
}
