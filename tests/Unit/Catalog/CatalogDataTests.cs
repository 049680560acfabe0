using Xunit;

namespace Klaviyo.Tests;

/// <summary>Spot checks of the generated catalog data that other parts of the library read.</summary>
public class CatalogDataTests
{
    private static CatalogEntry Entry(string idOrAlias) =>
        OperationCatalog
            .Find(idOrAlias)
            .IfNone(() => throw new Xunit.Sdk.XunitException($"{idOrAlias} not found"));

    // Note: never write an expected Seq as a collection expression (["a"]): Seq's Add returns a new Seq, so a
    // collection initializer silently builds an empty one. Arrays are used below.

    [Fact]
    public void Find_resolves_operation_ids_and_old_aliases_to_the_same_entry()
    {
        var entry = Entry("upload_image_from_file");

        Assert.Same(entry, Entry("create_image_upload"));
        Assert.Equal("Images", entry.Tag);
        Assert.Equal("UploadImageFromFile", entry.MethodName);
        Assert.Equal("multipart/form-data", entry.RequestContentType);
        Assert.True(OperationCatalog.Find("no_such_operation").IsNone);
    }

    [Fact]
    public void Rate_limit_tiers_are_parsed_from_the_spec_strings()
    {
        Assert.Equal(
            "3/s burst, 100/m steady, 500/d daily",
            Entry("upload_image_from_file").RateLimit.ToString()
        );
        Assert.Equal(
            new RateLimitTier(
                new Rate(75, TimeSpan.FromSeconds(1)),
                new Rate(750, TimeSpan.FromMinutes(1)),
                null
            ),
            Entry("get_profiles").RateLimit
        );
    }

    [Fact]
    public void Success_status_scopes_and_pagination()
    {
        Assert.Equal(201, Entry("create_profile").SuccessStatus);
        Assert.Equal(204, Entry("delete_tag").SuccessStatus);
        Assert.Equal(202, Entry("create_client_event").SuccessStatus);
        Assert.Equal(200, Entry("create_or_update_profile").SuccessStatus); // the spec lists 200 and 201
        Assert.Equal(new[] { "profiles:read" }, Entry("get_profiles").Scopes);
        Assert.True(Entry("get_profiles").Paginated);
        Assert.True(Entry("query_campaign_values").Paginated); // reporting's page_cursor
        Assert.False(Entry("get_profile").Paginated);
    }

    [Fact]
    public void Query_parameter_constraints_are_generated_data()
    {
        var q = Entry("get_profiles").QueryParameters;
        var size = q.Find(p => p.Name == "page[size]")
            .IfNone(() => throw new Xunit.Sdk.XunitException("no page[size]"));
        var fields = q.Find(p => p.Name == "fields[profile]")
            .IfNone(() => throw new Xunit.Sdk.XunitException("no fields"));

        Assert.Equal((1, 100), (size.Minimum, size.Maximum));
        Assert.False(size.IsArray);
        Assert.True(fields.IsArray);
        Assert.Contains("email", fields.AllowedValues);
        Assert.Contains("subscriptions.email.marketing.consent", fields.AllowedValues);
        Assert.Equal(
            new[] { "company_id" },
            Entry("create_client_event").QueryParameters.Filter(p => p.Required).Map(p => p.Name)
        );
    }

    [Fact]
    public void Filters_carry_operators_value_types_formats_enums_and_no_value_operators()
    {
        var campaigns = Entry("get_campaigns").Filters;
        var channel = campaigns
            .Find(f => f.Field == "messages.channel")
            .IfNone(() => throw new Xunit.Sdk.XunitException("none"));
        var created = campaigns
            .Find(f => f.Field == "created_at")
            .IfNone(() => throw new Xunit.Sdk.XunitException("none"));
        var profile = Entry("get_events")
            .Filters.Find(f => f.Field == "profile")
            .IfNone(() => throw new Xunit.Sdk.XunitException("none"));

        Assert.Equal(new[] { "equals" }, channel.SingleOperators);
        Assert.Equal(new[] { "email", "sms", "mobile_push" }, channel.AllowedValues);
        Assert.Equal(("string", "date-time"), (created.ValueType, created.ValueFormat));
        Assert.Contains("less-than", created.SingleOperators);
        Assert.Equal(new[] { "has" }, profile.NoValueOperators);
        Assert.Equal("none", profile.ValueType);
        Assert.True(Entry("get_accounts").Filters.IsEmpty);
    }
}
