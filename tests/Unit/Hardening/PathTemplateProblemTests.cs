using Xunit;

namespace Klaviyo.Tests.Hardening;

/// <summary>
/// Issue 11 #7: a malformed path template (unclosed or stray braces, an empty or nested placeholder) is a problem
/// recorded on the operation, so building it is a validation error; nothing is thrown.
/// </summary>
public class PathTemplateProblemTests
{
    [Theory]
    [InlineData("/api/profiles/{id", "unclosed '{'")]
    [InlineData("{", "unclosed '{'")]
    [InlineData("/api/{a}/{", "unclosed '{'")]
    [InlineData("/api/profiles/id}", "'}' without a '{'")]
    [InlineData("}", "'}' without a '{'")]
    [InlineData("/api/{}/x", "empty placeholder")]
    [InlineData("/api/{a{b}c}", "'{' inside a placeholder")]
    [InlineData("/api/{{id}}", "'{' inside a placeholder")]
    public void A_malformed_template_is_a_recorded_problem_not_an_exception(
        string template,
        string problem
    )
    {
        var op = PathTemplate.Operation(HttpMethod.Get, template, "v1", "v2");

        Assert.Contains(op.Problems, p => p.Contains(problem, StringComparison.Ordinal));
        var built = RequestBuilder.Build(op, new KlaviyoOptions { ApiKey = "pk_template" });
        var error = Assert.IsType<KlaviyoError.Validation>(built.Case);
        Assert.Contains(error.Problems, p => p.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void The_problem_says_where_the_brace_is()
    {
        var (_, problems) = PathTemplate.Expand("/api/profiles/{id", "x");

        Assert.Contains(
            "path template '/api/profiles/{id' has an unclosed '{' at character 15",
            problems
        );
    }

    [Fact]
    public void A_well_formed_template_still_expands_as_before()
    {
        var (path, problems) = PathTemplate.Expand(
            "/api/lists/{id}/relationships/{rel}",
            "L 1",
            "profiles"
        );

        Assert.Empty(problems);
        Assert.Equal("/api/lists/L%201/relationships/profiles", path);
    }

    [Fact]
    public void A_null_template_or_null_values_are_problems_too()
    {
        var nullTemplate = PathTemplate.Operation(HttpMethod.Get, null!, "x");
        var nullValues = PathTemplate.Operation(HttpMethod.Get, "/api/profiles/{id}", null!);

        Assert.Contains("path template is null", nullTemplate.Problems);
        Assert.Contains(
            nullValues.Problems,
            p => p.Contains("'id' is null", StringComparison.Ordinal)
        );
    }
}
