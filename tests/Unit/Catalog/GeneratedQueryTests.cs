using Klaviyo.Models;
using Xunit;

namespace Klaviyo.Tests.Catalog;

/// <summary>
/// Generated operations collect their query parameters before the operation is made: every given one in the spec's
/// order, however many, and the same problems as before for a list holding a null.
/// </summary>
public class GeneratedQueryTests
{
    [Fact]
    public void All_nine_query_parameters_of_GetProfiles_are_kept_in_the_spec_order()
    {
        var op = Profiles.GetProfiles(
            filter: "equals(email,\"ada@example.com\")",
            fieldsConversation: ["x"],
            fieldsProfile: [ProfileField.Email, ProfileField.FirstName],
            fieldsPushToken: ["token"],
            include: [ProfileInclude.PushTokens],
            sort: ProfileSort.CreatedDescending,
            pageCursor: "c1",
            pageSize: 7,
            additionalFieldsProfile: ["subscriptions"]
        );

        Assert.Equal(
            new[]
            {
                ("additional-fields[profile]", "subscriptions"),
                ("fields[conversation]", "x"),
                ("fields[profile]", "email,first_name"),
                ("fields[push-token]", "token"),
                ("filter", "equals(email,\"ada@example.com\")"),
                ("include", "push-tokens"),
                ("page[cursor]", "c1"),
                ("page[size]", "7"),
                ("sort", "-created"),
            },
            op.Query.Map(q => (q.Name, q.Value)).ToArray()
        );
        Assert.True(op.Problems.IsEmpty);
    }

    [Fact]
    public void Only_given_parameters_are_sent_and_empty_lists_count_as_not_given()
    {
        var op = Profiles.GetProfiles(
            fieldsProfile: Array.Empty<string>(),
            pageSize: 3,
            sort: default(ProfileSort)
        );

        Assert.Equal(new[] { ("page[size]", "3") }, op.Query.Map(q => (q.Name, q.Value)).ToArray());
    }

    [Fact]
    public void No_parameters_means_an_empty_query_and_the_template_as_the_path()
    {
        var op = Profiles.GetProfiles();

        Assert.True(op.Query.IsEmpty);
        Assert.Equal("/api/profiles", op.Path);
        Assert.Equal("get_profiles", op.OperationId);
        Assert.True(op.Problems.IsEmpty);
    }

    [Fact]
    public void A_list_holding_a_null_is_a_problem_after_the_path_problems_and_the_operation_does_not_build()
    {
        var op = Profiles.GetProfile("", fieldsProfile: new[] { "email", null! });

        Assert.Equal(2, op.Problems.Count);
        Assert.Contains("path parameter 'id' is empty", op.Problems[0]);
        Assert.Contains("query parameter 'fields[profile]' has a null value", op.Problems[1]);
        Assert.True(op.Build(new KlaviyoOptions { ApiKey = "pk_test" }).IsLeft);
    }
}
