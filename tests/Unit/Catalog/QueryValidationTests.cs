using LanguageExt;
using Xunit;

namespace Klaviyo.Tests;

/// <summary>Bad query values are caught before sending, with messages that name the parameter and what is allowed.</summary>
public class QueryValidationTests
{
    private static readonly KlaviyoOptions Options = new() { ApiKey = "pk_test_key" };

    private static KlaviyoError.Validation Invalid(RequestOperation op) =>
        RequestBuilder
            .Build(op, Options)
            .Match(
                r => throw new Xunit.Sdk.XunitException($"expected a validation error, built {r}"),
                e => Assert.IsType<KlaviyoError.Validation>(e)
            );

    private static void Valid(RequestOperation op) =>
        Assert.True(
            RequestBuilder.Build(op, Options).IsRight,
            RequestBuilder.Build(op, Options).ToString()
        );

    [Fact]
    public void An_unknown_sparse_field_is_named_with_a_suggestion_and_the_allowed_values()
    {
        var error = Invalid(Profiles.GetProfiles(fieldsProfile: ["email", "emial"]));

        var problem = Assert.Single(error.Problems);
        Assert.Contains("'fields[profile]'", problem);
        Assert.Contains("'emial' (did you mean 'email'?)", problem);
        Assert.Contains("get_profiles", problem);
        Assert.Contains("allowed values: created, email, external_id, first_name", problem);
        Assert.Equal(0, error.Attempts);
    }

    [Fact]
    public void Long_lists_of_allowed_values_are_cut_but_say_how_many_more_and_where_to_find_them()
    {
        var allowed = OperationCatalog
            .Find("get_profiles")
            .Bind(e => e.QueryParameters.Find(q => q.Name == "fields[profile]"))
            .Map(q => q.AllowedValues)
            .IfNone(LanguageExt.Prelude.Seq<string>());
        Assert.True(allowed.Count > QueryValidation.ListedValues);

        var problem = Assert.Single(
            Invalid(Profiles.GetProfiles(fieldsProfile: ["nope"])).Problems
        );

        Assert.Contains($"and {allowed.Count - QueryValidation.ListedValues} more", problem);
        Assert.Contains("OperationCatalog.Find(\"get_profiles\")", problem);
        Assert.Contains(allowed[QueryValidation.ListedValues - 1], problem);
        Assert.DoesNotContain(allowed[^1], problem);
    }

    [Fact]
    public void A_bad_sort_lists_every_allowed_sort()
    {
        var problem = Assert.Single(Invalid(Lists.GetLists(sort: "created_at")).Problems);

        Assert.Contains("'sort'", problem);
        Assert.Contains("'created_at'", problem);
        Assert.Contains(
            "allowed values: created, -created, id, -id, name, -name, updated, -updated",
            problem
        );
    }

    [Fact]
    public void A_bad_include_is_named()
    {
        var problem = Assert.Single(Invalid(Events.GetEvents(include: ["metrics"])).Problems);

        Assert.Contains("'include' has 'metrics' (did you mean 'metric'?)", problem);
        Assert.Contains("attributions, metric, profile", problem);
    }

    [Fact]
    public void A_bad_additional_field_is_named()
    {
        var problem = Assert.Single(
            Invalid(
                Profiles.GetProfile("p1", additionalFieldsProfile: ["subscription", "predictive"])
            ).Problems
        );

        Assert.Contains("'additional-fields[profile]'", problem);
        Assert.Contains("'subscription' (did you mean 'subscriptions'?)", problem);
        Assert.Contains("'predictive'", problem);
        Assert.Contains("allowed values: subscriptions, predictive_analytics", problem);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    [InlineData(-5)]
    public void A_page_size_outside_the_bounds_is_refused(int size)
    {
        var problem = Assert.Single(Invalid(Profiles.GetProfiles(pageSize: size)).Problems);

        Assert.Contains("'page[size]'", problem);
        Assert.Contains($"is {size}", problem);
        Assert.Contains("1–100", problem);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    public void The_page_size_bounds_themselves_are_fine(int size) =>
        Valid(Profiles.GetProfiles(pageSize: size));

    [Fact]
    public void Bounds_are_per_operation()
    {
        Valid(Events.GetEvents(pageSize: 1000));
        Assert.Contains("1–10", Assert.Single(Invalid(Lists.GetLists(pageSize: 11)).Problems));
    }

    [Fact]
    public void A_page_size_that_is_not_an_integer_is_refused()
    {
        var problem = Assert.Single(
            Invalid(Profiles.GetProfiles().WithQuery("page[size]", "ten")).Problems
        );

        Assert.Contains("'page[size]' is 'ten', which is not an integer", problem);
        Assert.Contains("1–100", problem);
    }

    [Fact]
    public void A_missing_required_query_parameter_is_a_problem()
    {
        var missingCompany = Invalid(ClientApi.CreateClientEvent(null!, new { data = new { } }));
        var missingFilter = Invalid(Campaigns.GetCampaigns(null!));

        Assert.Contains(
            "query parameter 'company_id' is required by create_client_event but was not given",
            missingCompany.Problems
        );
        Assert.Contains(
            "query parameter 'filter' is required by get_campaigns but was not given",
            missingFilter.Problems
        );
    }

    [Fact]
    public void Enum_values_of_other_parameters_are_checked_too()
    {
        var problem = Assert.Single(
            Invalid(
                ClientApi.GetClientReviewValuesReports(
                    "PK",
                    "product_id",
                    "average_rating",
                    "last_7_days"
                )
            ).Problems
        );

        Assert.Contains("'timeframe' has 'last_7_days'", problem);
        Assert.Contains("all_time, last_30_days, last_365_days, last_90_days", problem);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var error = Invalid(Profiles.GetProfiles(fieldsProfile: ["x"], sort: "y", pageSize: 0));

        Assert.Equal(3, error.Problems.Count);
    }

    [Fact]
    public void Valid_values_pass()
    {
        Valid(
            Profiles.GetProfiles(
                fieldsProfile: ["email", "first_name"],
                include: ["push-tokens"],
                sort: "-created",
                pageSize: 20,
                additionalFieldsProfile: ["subscriptions", "predictive_analytics"]
            )
        );
        Valid(
            ClientApi.GetClientReviewValuesReports("PK", "product_id", "average_rating", "all_time")
        );
    }

    [Fact]
    public void Operations_the_catalog_does_not_know_are_not_checked()
    {
        Valid(new RequestOperation(HttpMethod.Get, "/api/profiles").WithQuery("page[size]", "0"));
        Valid(
            new RequestOperation(HttpMethod.Get, "/api/x")
            {
                OperationId = "not_an_operation",
            }.WithQuery("sort", "?")
        );
    }

    [Fact]
    public void The_check_is_found_through_aliases_too()
    {
        var viaAlias = new RequestOperation(HttpMethod.Get, "/api/lists/L/profiles")
        {
            OperationId = "get_list_profiles",
        }.WithQuery("page[size]", "0");

        Assert.Contains("get_profiles_for_list", Assert.Single(Invalid(viaAlias).Problems));
    }

    [Fact]
    public async Task An_invalid_operation_is_never_sent()
    {
        await using var server = await LoopbackServer.StartAsync(LoopbackServer.Respond(200, "{}"));

        var result = await Profiles
            .GetProfiles(fieldsProfile: ["nope"], pageSize: 0)
            .SendAsync(server.Options(Options));

        var error = result.Match(_ => throw new Xunit.Sdk.XunitException("sent"), e => e);
        var validation = Assert.IsType<KlaviyoError.Validation>(error);
        Assert.Equal(2, validation.Problems.Count);
        Assert.Equal(0, validation.Attempts);
        Assert.Equal(0, server.Count);
    }
}
