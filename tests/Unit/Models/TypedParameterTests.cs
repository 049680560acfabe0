using Xunit;

namespace Klaviyo.Tests;

/// <summary>Typed query parameters: named members, and raw strings wherever a string was accepted before.</summary>
public class TypedParameterTests
{
    [Fact]
    public void Named_members_give_exactly_the_query_the_raw_strings_give()
    {
        var typed = Profiles.GetProfiles(
            fieldsProfile: [ProfileField.Email, ProfileField.FirstName],
            include: [ProfileInclude.PushTokens],
            sort: ProfileSort.CreatedDescending,
            additionalFieldsProfile: [ProfileAdditionalField.Subscriptions]
        );
        var raw = Profiles.GetProfiles(
            fieldsProfile: ["email", "first_name"],
            include: ["push-tokens"],
            sort: "-created",
            additionalFieldsProfile: ["subscriptions"]
        );

        Assert.Equal(raw, typed);
        Assert.Equal(
            new[]
            {
                ("additional-fields[profile]", "subscriptions"),
                ("fields[profile]", "email,first_name"),
                ("include", "push-tokens"),
                ("sort", "-created"),
            },
            typed.Query.ToArray()
        );
    }

    [Fact]
    public void Members_and_raw_strings_mix_in_one_list()
    {
        var op = Profiles.GetProfiles(fieldsProfile: [ProfileField.Email, "phone_number"]);

        Assert.Equal(new[] { ("fields[profile]", "email,phone_number") }, op.Query.ToArray());
    }

    [Fact]
    public void Arrays_lists_single_values_and_any_sequence_of_strings_convert()
    {
        string[] array = ["email", "first_name"];
        List<string> list = ["email", "first_name"];
        IEnumerable<string> sequence = list.Where(_ => true);
        var expected = Profiles.GetProfiles(fieldsProfile: ["email", "first_name"]);

        Assert.Equal(expected, Profiles.GetProfiles(fieldsProfile: array));
        Assert.Equal(expected, Profiles.GetProfiles(fieldsProfile: list));
        Assert.Equal(
            expected,
            Profiles.GetProfiles(fieldsProfile: QueryValues.From<ProfileField>(sequence))
        );
        Assert.Equal(
            Profiles.GetProfiles(fieldsProfile: ["email"]),
            Profiles.GetProfiles(fieldsProfile: ProfileField.Email)
        );
        Assert.Equal(
            Profiles.GetProfiles(fieldsProfile: ["email"]),
            Profiles.GetProfiles(fieldsProfile: "email")
        );
    }

    [Fact]
    public void A_raw_value_newer_than_the_spec_is_carried_and_the_pre_send_check_still_judges_it()
    {
        var op = Profiles.GetProfiles(
            sort: "-loyalty_score",
            fieldsProfile: [ProfileField.Email, "loyalty_score"]
        );

        Assert.Contains(("sort", "-loyalty_score"), op.Query);
        Assert.Contains(("fields[profile]", "email,loyalty_score"), op.Query);
        Assert.False(new ProfileSort("-loyalty_score").IsKnown);
        // QueryValidation is unchanged: the catalog does not list these values yet.
        var error = RequestBuilder
            .Build(op, new KlaviyoOptions { ApiKey = "pk_typed" })
            .Match(_ => null!, e => Assert.IsType<KlaviyoError.Validation>(e));
        Assert.Contains(error.Problems, p => p.Contains("'-loyalty_score'"));
        Assert.Contains(error.Problems, p => p.Contains("'loyalty_score'"));
    }

    [Fact]
    public void A_null_string_or_an_empty_list_is_left_out_like_before()
    {
        string? none = null;

        var op = Profiles.GetProfiles(sort: none, fieldsProfile: [], include: (string[]?)null);

        Assert.Empty(op.Query);
        Assert.True(op.Problems.IsEmpty);
    }

    [Fact]
    public void Sort_members_read_as_the_field_and_its_descending_form()
    {
        Assert.Equal("created", ProfileSort.Created.Value);
        Assert.Equal("-created", ProfileSort.CreatedDescending.Value);
        Assert.Equal("push-tokens", ProfileInclude.PushTokens.ToString());
        Assert.True(ProfileSort.CreatedDescending.IsKnown);
        Assert.Equal(new ProfileSort("-created"), ProfileSort.CreatedDescending);
    }

    [Fact]
    public void Each_typed_parameter_lists_every_value_its_operations_allow()
    {
        foreach (var entry in OperationCatalog.All)
        foreach (var parameter in entry.QueryParameters.Where(p => !p.AllowedValues.IsEmpty))
        {
            var method = GeneratedMethods.Primary(
                typeof(RequestOperation).Assembly.GetType("Klaviyo." + entry.Tag),
                entry.MethodName
            )!;
            var p = method
                .GetParameters()
                .Single(x => x.Name == SpecOperation.Camel(parameter.Name));
            var type = Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType;
            if (type.IsGenericType)
                type = type.GetGenericArguments()[0];
            Assert.True(
                TypedArguments.IsStringValue(type),
                $"{entry.OperationId} {parameter.Name}: {p.ParameterType}"
            );
            Assert.Empty(parameter.AllowedValues.Except(TypedArguments.Known(type)));
        }
    }
}
