using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Klaviyo.Codegen;
using Klaviyo.Models;
using Xunit;

namespace Klaviyo.Tests;

/// <summary>Decoding spec-shaped responses into the generated models, leniently.</summary>
public class ModelDecodingTests
{
    private const string ProfilesPage =
        "GetProfileResponsePluralConversationsCollectionCompoundDocument";

    private static readonly Lazy<ExampleSynthesizer> Examples = new(() =>
        new ExampleSynthesizer(SpecFile.Root)
    );

    private static JsonObject Example(string schema, int items = 1) =>
        (JsonObject)Examples.Value.Of(schema, items).Json;

    private static byte[] Bytes(JsonNode json) => Encoding.UTF8.GetBytes(json.ToJsonString());

    private static T Decoded<T>(JsonNode json) =>
        ModelJson
            .Decode<T>(Bytes(json))
            .Match(v => v, e => throw new Xunit.Sdk.XunitException(e.Message));

    private static KlaviyoError.Decode Failed<T>(JsonNode json) =>
        ModelJson
            .Decode<T>(Bytes(json))
            .Match(
                v => throw new Xunit.Sdk.XunitException($"decoded: {v}"),
                e => Assert.IsType<KlaviyoError.Decode>(e)
            );

    [SpecFact]
    public void The_get_profiles_example_decodes_into_typed_records()
    {
        var json = Example(ProfilesPage, items: 3);

        var page = Decoded<GetProfileResponsePluralConversationsCollectionCompoundDocument>(json);

        Assert.Equal(3, page.Data.Count);
        Assert.Equal("sarah.mason@klaviyo-demo.com", page.Data[0].Attributes.Email);
        Assert.Equal("Sarah", page.Data[0].Attributes.FirstName);
        Assert.Equal(ProfileEnum.Profile, page.Data[0].Type);
        Assert.Equal(
            new DateTimeOffset(2022, 11, 8, 0, 0, 0, TimeSpan.Zero),
            page.Data[0].Attributes.Created
        );
        Assert.Equal("01GDDKASAP8TKDDA2GRZDSVP4H2", page.Data[2].Id);
        // The extra members the additional-fields extension adds are typed too.
        Assert.NotNull(page.Data[0].Attributes.Subscriptions);
        var included = Assert.Single(page.Included!);
        Assert.IsType<GetProfileResponsePluralConversationsCollectionCompoundDocumentIncluded.Conversation>(
            included
        );
    }

    [SpecFact]
    public void Included_resources_are_a_closed_union_a_switch_can_match_with_unknown_types_kept()
    {
        var json = Example(ProfilesPage);
        var pushToken = Example("PushTokenResponseObjectResource");
        var future = new JsonObject { ["type"] = "hologram", ["id"] = "h1" };
        json["included"] = new JsonArray(pushToken, future);

        var page = Decoded<GetProfileResponsePluralConversationsCollectionCompoundDocument>(json);

        var kinds = page.Included!.Select(r =>
                r switch
                {
                    GetProfileResponsePluralConversationsCollectionCompoundDocumentIncluded.Conversation c =>
                        "conversation " + c.Value.Id,
                    GetProfileResponsePluralConversationsCollectionCompoundDocumentIncluded.PushToken p =>
                        "push-token " + p.Value.Type,
                    GetProfileResponsePluralConversationsCollectionCompoundDocumentIncluded.Unknown u =>
                        "unknown " + u.Raw.GetProperty("type").GetString(),
                    _ => "?",
                }
            )
            .ToList();
        Assert.Equal(["push-token push-token", "unknown hologram"], kinds);
    }

    [SpecFact]
    public void Unknown_members_are_ignored_and_unknown_enum_values_are_kept()
    {
        var json = Example("GetListRetrieveResponseCompoundDocument");
        json["surprise"] = new JsonObject { ["nested"] = new JsonArray(1, 2) };
        json["data"]!["attributes"]!["brand_new_field"] = "x";
        json["data"]!["attributes"]!["opt_in_process"] = "triple_opt_in";

        var list = Decoded<GetListRetrieveResponseCompoundDocument>(json);

        Assert.Equal("triple_opt_in", list.Data!.Attributes.OptInProcess!.Value.Value);
        Assert.False(list.Data.Attributes.OptInProcess!.Value.IsKnown);
        Assert.Contains(
            "\"opt_in_process\":\"triple_opt_in\"",
            Encoding.UTF8.GetString(ModelJson.Encode(list))
        );
    }

    [SpecFact]
    public void Null_where_the_spec_says_non_null_and_numbers_sent_as_strings_decode()
    {
        var json = Example("GetListRetrieveResponseCompoundDocument");
        var attributes = json["data"]!["attributes"]!;
        attributes["name"] = null;
        attributes["created"] = null;
        attributes["profile_count"] = "42";
        json["data"]!["type"] = null;

        var list = Decoded<GetListRetrieveResponseCompoundDocument>(json);

        Assert.Null(list.Data!.Attributes.Name);
        Assert.Null(list.Data.Attributes.Created);
        Assert.Equal(42, list.Data.Attributes.ProfileCount);
        Assert.Null(list.Data.Type.Value);
    }

    [SpecFact]
    public void A_real_shape_mismatch_is_a_decode_error_naming_the_json_path()
    {
        var json = Example(ProfilesPage, items: 2);
        json["data"]![1]!["attributes"] = new JsonArray(1, 2);

        var error = Failed<GetProfileResponsePluralConversationsCollectionCompoundDocument>(json);

        Assert.Equal(
            "undecodable response (status 0): at $.data[1].attributes: expected an object, found an array",
            error.Message
        );
        Assert.Equal(0, error.Attempts);
        Assert.Contains("\"attributes\":[1,2]", error.RawText);
    }

    [SpecFact]
    public void A_mismatch_inside_a_union_case_names_the_path_through_it()
    {
        var json = Example(ProfilesPage);
        json["included"]![0]!["attributes"] = "not an object";

        var error = Failed<GetProfileResponsePluralConversationsCollectionCompoundDocument>(json);

        Assert.Contains(
            "at $.included[0].attributes: expected an object, found a string",
            error.Message
        );
    }

    [Fact]
    public void Invalid_json_and_foreign_types_are_decode_errors_not_exceptions()
    {
        var invalid = ModelJson.Decode<ListCreateQuery>(Encoding.UTF8.GetBytes("{\"data\":"));
        var foreign = ModelJson.Decode<Uri>(Encoding.UTF8.GetBytes("{}"));
        var nothing = ModelJson.Decode<ListCreateQuery>(Encoding.UTF8.GetBytes("null"));

        Assert.IsType<KlaviyoError.Decode>(invalid.Swap().IfLeft(() => null!));
        Assert.Contains(
            "Uri is not a generated Klaviyo model",
            foreign.Swap().IfLeft(() => null!).Message
        );
        Assert.Contains(
            "at $: expected ListCreateQuery, found null",
            nothing.Swap().IfLeft(() => null!).Message
        );
    }

    [Fact]
    public void A_request_body_is_built_from_records_with_the_resource_type_set_for_you()
    {
        var body = new ListCreateQuery(
            new ListCreateQueryResourceObject(new ListCreateQueryResourceObjectAttributes("VIP"))
        );
        var withProcess = body with
        {
            Data = body.Data with
            {
                Attributes = body.Data.Attributes with { OptInProcess = OptInProcess.DoubleOptIn },
            },
        };

        Assert.Equal(
            """{"data":{"type":"list","attributes":{"name":"VIP"}}}""",
            Encoding.UTF8.GetString(ModelJson.Encode(body))
        );
        Assert.Equal(
            """{"data":{"type":"list","attributes":{"name":"VIP","opt_in_process":"double_opt_in"}}}""",
            Encoding.UTF8.GetString(ModelJson.Encode(withProcess))
        );
    }

    [Fact]
    public void A_typed_body_is_sent_as_the_spec_JSON_through_the_existing_object_parameter()
    {
        var op = Lists.CreateList(
            new ListCreateQuery(
                new ListCreateQueryResourceObject(
                    new ListCreateQueryResourceObjectAttributes("VIP")
                )
            )
        );

        var body = Assert.IsType<RequestBody.TypedJsonValue>(op.Body);
        Assert.Equal(
            """{"data":{"type":"list","attributes":{"name":"VIP"}}}""",
            Encoding.UTF8.GetString(SystemTextJsonCodec.Default.Encode(body.Value))
        );
    }

    [Fact]
    public void Decoding_a_JsonElement_gives_the_same_value_as_decoding_bytes()
    {
        var json =
            """{"data":{"type":"list","attributes":{"name":"VIP","opt_in_process":"single_opt_in"}}}""";
        using var doc = JsonDocument.Parse(json);

        var fromElement = ModelJson.Decode<ListCreateQuery>(doc.RootElement);
        var fromBytes = ModelJson.Decode<ListCreateQuery>(Encoding.UTF8.GetBytes(json));

        Assert.Equal(fromBytes, fromElement);
        Assert.Equal(
            OptInProcess.SingleOptIn,
            fromBytes.Map(b => b.Data.Attributes.OptInProcess).IfLeft(() => null)
        );
    }

    [SpecFact]
    public void Every_success_response_example_of_the_spec_decodes_into_its_model()
    {
        var spec = Spec.Parse(File.ReadAllText(SpecFile.Path!));
        var failures = new List<string>();
        foreach (var op in spec.Operations.Where(o => o.ResponseSchemaName is not null))
        {
            var type = OperationModels.Response(op.OperationId)!;
            var json = Examples.Value.Of(op.ResponseSchemaName!, items: 2).Json;
            ModelJson
                .Decode(type, Bytes(json))
                .IfLeft(e => failures.Add($"{op.OperationId} ({type.Name}): {e.Message}"));
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    [SpecFact]
    public void Broken_strings_from_the_server_decode_as_replacement_characters_not_exceptions()
    {
        var json = Example(ProfilesPage);
        var text = json.ToJsonString()
            .Replace("\"Sarah\"", "\"Sa\\ud800rah\"", StringComparison.Ordinal)
            .Replace(
                "\"type\":\"profile\"",
                "\"type\":\"prof\\udfffile\"",
                StringComparison.Ordinal
            )
            // A member the models do not know, and a custom property, each under a broken name.
            .Replace("\"first_name\"", "\"n\\ud800\":1,\"first_name\"", StringComparison.Ordinal)
            .Replace(
                "\"properties\":{",
                "\"properties\":{\"k\\ud800\":\"v\",",
                StringComparison.Ordinal
            );
        // A known member's name broken (a relationship): it reads as unknown.
        text = text.Replace("\"profile\"", "\"pro\\udfffile\"", StringComparison.Ordinal);
        Assert.Contains("\"n\\ud800\"", text);
        Assert.Contains("\"k\\ud800\"", text);

        var page = ModelJson
            .Decode<GetProfileResponsePluralConversationsCollectionCompoundDocument>(
                Encoding.UTF8.GetBytes(text)
            )
            .Match(v => v, e => throw new Xunit.Sdk.XunitException(e.Message));

        Assert.Equal("Sa\uFFFDrah", page.Data[0].Attributes.FirstName);
        // An enum value the spec does not know (here a broken one) is kept, not refused.
        Assert.NotEqual(ProfileEnum.Profile, page.Data[0].Type);
    }
}
