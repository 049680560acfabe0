using LanguageExt;
using Xunit;

namespace Klaviyo.Tests;

public class FilterCatalogTests
{
    private static Either<KlaviyoError, KlaviyoRequest> Build(RequestOperation op) =>
        RequestBuilder.Build(op, new KlaviyoOptions { ApiKey = "pk_f" });

    [Fact]
    public void A_filter_the_spec_allows_builds()
    {
        var filter =
            Filter.Equals("email", "ada@example.com")
            | Filter.GreaterThan("created", new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.True(
            Build(Profiles.GetProfiles(filter: Filter.Equals("email", "ada@example.com"))).IsRight
        );
        Assert.True(
            Build(
                Profiles.GetProfiles(
                    filter: Filter.GreaterThan(
                        "created",
                        new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero)
                    )
                )
            ).IsRight
        );
        Assert.NotNull(filter);
    }

    [Fact]
    public void A_filter_on_a_field_the_spec_does_not_list_is_a_validation_error_naming_the_allowed_fields()
    {
        var error = Build(Profiles.GetProfiles(filter: Filter.Equals("favourite_colour", "blue")))
            .Match(_ => null!, e => e);
        var validation = Assert.IsType<KlaviyoError.Validation>(error);
        Assert.Contains("favourite_colour", validation.Message);
        Assert.Contains("email", validation.Message);
    }

    [Fact]
    public void An_operator_the_spec_does_not_allow_on_a_field_is_a_validation_error()
    {
        var error = Build(Profiles.GetProfiles(filter: Filter.Contains("email", "example")))
            .Match(_ => null!, e => e);
        Assert.IsType<KlaviyoError.Validation>(error);
        Assert.Contains("contains", error.Message);
    }

    [Fact]
    public void Has_is_allowed_where_the_spec_lists_it_as_an_operator_without_value()
    {
        var entry = OperationCatalog
            .Find("get_events")
            .Match(e => e, () => throw new Xunit.Sdk.XunitException("no get_events"));
        var withHas = entry.Filters.Find(f => f.NoValueOperators.Contains("has"));
        Assert.True(withHas.IsSome, "the spec lists a has() field on get_events");
        var field = withHas.Map(f => f.Field).IfNone("");
        Assert.True(Build(Events.GetEvents(filter: Filter.Has(field))).IsRight);
    }

    [Fact]
    public void An_unparsable_filter_is_a_validation_error_and_nothing_is_built()
    {
        var error = Build(Profiles.GetProfiles(filter: "equals(email,")).Match(_ => null!, e => e);
        Assert.IsType<KlaviyoError.Validation>(error);
    }
}
