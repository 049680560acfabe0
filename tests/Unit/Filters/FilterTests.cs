using System.Globalization;
using LanguageExt;
using Xunit;

namespace Klaviyo.Tests.Filters;

public class FilterTests
{
    private static Filter Parsed(string text) =>
        Filter.Parse(text).Match(f => f, e => throw new Xunit.Sdk.XunitException(e));

    private static string ParseError(string text) =>
        Filter
            .Parse(text)
            .Match(
                f => throw new Xunit.Sdk.XunitException($"expected a parse error, got {f}"),
                e => e
            );

    [Fact]
    public void Renders_Klaviyos_documented_examples()
    {
        Assert.Equal(
            "equals(email,\"sarah.mason@klaviyo-demo.com\")",
            Filter.Equals("email", "sarah.mason@klaviyo-demo.com").ToString()
        );
        Assert.Equal(
            "less-than(datetime,2023-03-01T00:00:00Z)",
            Filter
                .LessThan("datetime", new DateTimeOffset(2023, 3, 1, 0, 0, 0, TimeSpan.Zero))
                .ToString()
        );
        Assert.Equal(
            "greater-or-equal(percentage,33.33)",
            Filter.GreaterOrEqual("percentage", 33.33m).ToString()
        );
        Assert.Equal(
            "contains(description,\"cooking\")",
            Filter.Contains("description", "cooking").ToString()
        );
        Assert.Equal(
            "ends-with(description,\"End\")",
            Filter.EndsWith("description", "End").ToString()
        );
        Assert.Equal(
            "starts-with(description,\"Start\")",
            Filter.StartsWith("description", "Start").ToString()
        );
        Assert.Equal(
            "any(chapter,[\"Intro\",\"Summary\",\"Conclusion\"])",
            Filter.Any("chapter", "Intro", "Summary", "Conclusion").ToString()
        );
        Assert.Equal("has(profile)", Filter.Has("profile").ToString());
    }

    [Fact]
    public void Renders_list_operators_from_any_sequence_of_strings_or_values()
    {
        var channels = new List<string> { "email", "sms" };
        Assert.Equal(
            "contains-any(send_channel,[\"email\",\"sms\"])",
            Filter.ContainsAny("send_channel", channels).ToString()
        );
        Assert.Equal("contains-all(tags,[1,2])", Filter.ContainsAll("tags", 1, 2).ToString());
        Assert.Equal("any(ids,[])", Filter.Any("ids", Array.Empty<string>()).ToString());
        Assert.Equal(
            "equals(status,[\"Sent\",\"Draft\"])",
            Filter.Equals("status", FilterValue.ListOf(new[] { "Sent", "Draft" })).ToString()
        );
    }

    [Fact]
    public void Combines_with_and_or_not_and_the_operators_flatten_chains()
    {
        var a = Filter.Equals("a", 1);
        var b = Filter.Equals("b", 2);
        var c = Filter.Equals("c", 3);

        Assert.Equal("and(equals(a,1),equals(b,2),equals(c,3))", (a & b & c).ToString());
        Assert.Equal("or(equals(a,1),equals(b,2),equals(c,3))", (a | b | c).ToString());
        Assert.Equal("and(or(equals(a,1),equals(b,2)),equals(c,3))", ((a | b) & c).ToString());
        Assert.Equal("not(equals(a,1))", (!a).ToString());
        Assert.Equal(
            "and(equals(a,1),not(has(b)))",
            Filter.And(a, Filter.Not(Filter.Has("b"))).ToString()
        );
        Assert.Equal("or(equals(a,1),equals(b,2))", Filter.Or(a, b).ToString());
    }

    [Fact]
    public void Quotes_text_and_escapes_quotes_and_backslashes_only()
    {
        var f = Filter.Equals("name", "O'Brien \"Bob\" \\ (x), [y] é 漢");

        Assert.Equal("equals(name,\"O'Brien \\\"Bob\\\" \\\\ (x), [y] é 漢\")", f.ToString());
    }

    [Fact]
    public void Writes_booleans_null_and_numbers_in_the_invariant_culture()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal("equals(lng,-74.0060)", Filter.Equals("lng", -74.0060m).ToString());
            Assert.Equal(
                "equals(count,9007199254740993)",
                Filter.Equals("count", 9007199254740993L).ToString()
            );
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
        Assert.Equal("equals(archived,true)", Filter.Equals("archived", true).ToString());
        Assert.Equal("equals(archived,false)", Filter.Equals("archived", false).ToString());
        Assert.Equal(
            "equals(deleted_at,null)",
            Filter.Equals("deleted_at", (string?)null).ToString()
        );
        Assert.Equal(
            "equals(deleted_at,null)",
            Filter.Equals("deleted_at", FilterValue.Null).ToString()
        );
    }

    [Fact]
    public void Writes_date_times_unquoted_in_UTC_with_fractions_only_when_present()
    {
        var pacific = new DateTimeOffset(2024, 8, 1, 0, 0, 0, TimeSpan.FromHours(-7));
        var withMillis = new DateTimeOffset(2024, 8, 1, 7, 0, 0, 123, TimeSpan.Zero);

        Assert.Equal(
            "greater-or-equal(created_at,2024-08-01T07:00:00Z)",
            Filter.GreaterOrEqual("created_at", pacific).ToString()
        );
        Assert.Equal(
            "less-or-equal(created_at,2024-08-01T07:00:00.123Z)",
            Filter.LessOrEqual("created_at", withMillis).ToString()
        );
        Assert.Equal(
            "greater-than(created_at,2024-08-01T07:00:00.0000001Z)",
            Filter
                .GreaterThan("created_at", new DateTimeOffset(pacific.UtcTicks + 1, TimeSpan.Zero))
                .ToString()
        );
    }

    [Fact]
    public void Converts_implicitly_to_the_string_an_operation_takes()
    {
        static string? Take(string? filter) => filter;
        Filter f = Filter.Equals("messages.channel", "email");
        Filter? none = null;

        string s = f;

        Assert.Equal("equals(messages.channel,\"email\")", s);
        Assert.Equal(s, Take(f));
        Assert.Null(Take(none));
    }

    [Fact]
    public void Trees_have_value_equality()
    {
        Assert.Equal(
            Filter.Any("id", "a", "b") & Filter.Has("profile"),
            Filter.And(Filter.Any("id", new[] { "a", "b" }), Filter.Has("profile"))
        );
        Assert.NotEqual(Filter.Equals("a", 1), Filter.Equals("a", "1"));
        Assert.Equal(Filter.Equals("a", 1.0m), Filter.Equals("a", 1));
    }

    [Fact]
    public void Parses_the_examples_in_the_spec()
    {
        Assert.Equal(
            new Filter.Comparison("equals", "messages.channel", new FilterValue.Text("email")),
            Parsed("equals(messages.channel,'email')")
        );
        Assert.Equal(
            Filter.Any("metric_id", "RFe5Su", "SeUc96"),
            Parsed("any(metric_id,['RFe5Su', 'SeUc96'])")
        );
        Assert.Equal(
            Filter.LessOrEqual("created", new DateTimeOffset(2022, 11, 8, 0, 0, 0, TimeSpan.Zero)),
            Parsed("less-or-equal(created,2022-11-08T00:00:00+00:00)")
        );
        Assert.Equal(
            Filter.And(Filter.Equals("lat", 40.7128m), Filter.Equals("lng", -74.0060m)),
            Parsed("and(equals(lat,40.7128),equals(lng,-74.0060))")
        );
        Assert.Equal(
            Filter.And(
                Filter.Equals("campaign_id", "abc123"),
                Filter.ContainsAny("send_channel", "email", "sms")
            ),
            Parsed(
                "and(equals(campaign_id,\"abc123\"),contains-any(send_channel,[\"email\",\"sms\"]))"
            )
        );
        Assert.Equal(
            Filter.Equals("id", FilterValue.ListOf(new[] { "example" })),
            Parsed("equals(id,['example'])")
        );
        Assert.Equal(Filter.Has("profile"), Parsed("has(profile)"));
    }

    [Fact]
    public void Reads_top_level_commas_whitespace_and_both_quote_styles()
    {
        Assert.Equal(
            Filter.And(Filter.Equals("profile_id", "P1"), Filter.Equals("metric_id", "M'1")),
            Parsed(" equals( profile_id , 'P1' ) , equals(metric_id, \"M'1\")\n")
        );
        Assert.Equal(Filter.Equals("name", "it's \"x\""), Parsed("equals(name,'it\\'s \"x\"')"));
        Assert.Equal(
            Filter.Or(Filter.Not(Filter.Equals("a", true)), Filter.Equals("b", FilterValue.Null)),
            Parsed("or(not(equals(a,true)),equals(b,null))")
        );
    }

    [Fact]
    public void Reads_dates_and_date_times_with_offsets_as_instants()
    {
        Assert.Equal(
            Filter.GreaterThan(
                "datetime",
                new DateTimeOffset(2022, 4, 1, 11, 30, 0, TimeSpan.Zero)
            ),
            Parsed("greater-than(datetime,2022-04-01T11:30:00Z)")
        );
        Assert.Equal(
            Filter.GreaterThan("datetime", new DateTimeOffset(2024, 8, 1, 7, 0, 0, TimeSpan.Zero)),
            Parsed("greater-than(datetime,2024-08-01T00:00:00-07:00)")
        );
        Assert.Equal(
            Filter.LessThan("d", new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero)),
            Parsed("less-than(d,2001-01-01)")
        );
    }

    [Fact]
    public void Rendering_then_parsing_gives_the_same_tree()
    {
        var tree =
            (
                Filter.Equals("email", "a,\"b\")\\c")
                | Filter.Not(Filter.Any("ids", FilterValue.Null, 1, -2.5m, true, "x"))
            )
            & Filter.LessThan(
                "created",
                new DateTimeOffset(2020, 2, 29, 23, 59, 59, 999, TimeSpan.FromHours(5.5))
            )
            & Filter.Has("profile");

        Assert.Equal(tree, Parsed(tree.ToString()));
        Assert.True(Filter.TryParse(tree, out var again));
        Assert.Equal(tree, again);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("equals(email,sarah@example.com)", "put text in quotes")]
    [InlineData("greater-than(created,'2024-01-01)", "unterminated string")]
    [InlineData("equals(email,\"x\"", "expected ')'")]
    [InlineData("equal(email,\"x\")", "unknown operator 'equal'")]
    [InlineData("any(id,'x')", "'any' takes a list")]
    [InlineData("equals(a,[[1]])", "lists cannot be nested")]
    [InlineData("equals(a,1)x", "unexpected 'x'")]
    [InlineData("equals(,1)", "expected a field name")]
    [InlineData("equals(a b,1)", "expected ','")]
    [InlineData("and()", "expected a filter")]
    [InlineData("equals(n,99999999999999999999999999999999)", "out of range")]
    [InlineData("EQUALS(a,1)", "expected a filter")]
    public void Reports_what_is_wrong_with_a_malformed_filter(string text, string expected)
    {
        Assert.Contains(expected, ParseError(text));
        Assert.False(Filter.TryParse(text, out var none));
        Assert.Null(none);
    }

    [Fact]
    public void Error_positions_point_at_the_offending_character()
    {
        Assert.Contains("at character 14", ParseError("equals(email,sarah@example.com)"));
    }

    [Fact]
    public void Refuses_absurd_nesting_without_overflowing_the_stack()
    {
        var deep =
            string.Concat(Enumerable.Repeat("not(", 100_000)) + "has(a)" + new string(')', 100_000);

        Assert.Contains("nest more than", ParseError(deep));
    }

    [Fact]
    public void Accepts_nesting_up_to_the_limit()
    {
        var depth = FilterParser.MaxDepth;
        var text =
            string.Concat(Enumerable.Repeat("not(", depth)) + "has(a)" + new string(')', depth);

        Assert.Equal(text, Parsed(text).ToString());
    }

    [Fact]
    public void A_field_name_that_cannot_be_written_renders_to_something_that_does_not_parse()
    {
        // The builder does not throw on a bad field; validation catches it when the request is built.
        var f = Filter.Equals("bad field", 1);

        Assert.False(Filter.TryParse(f, out _));
    }
}
