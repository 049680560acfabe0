using System.Text.Json;
using LanguageExt;
using Xunit;

namespace Klaviyo.Tests;

public class JsonApiDecodingTests
{
    // --- the user's own records, written the way a C# developer would ---

    public sealed record Profile(
        string? Email,
        string? PhoneNumber,
        string? ExternalId,
        string? FirstName,
        string? LastName,
        DateTimeOffset? Created,
        DateTimeOffset? Updated,
        DateTimeOffset? LastEventDate,
        ProfileLocation? Location,
        Dictionary<string, JsonElement>? Properties,
        ProfileSubscriptions? Subscriptions,
        Predictions? PredictiveAnalytics
    );

    public sealed record ProfileLocation(
        string? Address1,
        string? City,
        double? Latitude,
        double? Longitude,
        string? Zip,
        string? Timezone
    );

    public sealed record ProfileSubscriptions(EmailChannel? Email);

    public sealed record EmailChannel(EmailMarketing? Marketing);

    public sealed record EmailMarketing(
        bool CanReceiveEmailMarketing,
        string Consent,
        DateTimeOffset? ConsentTimestamp,
        bool? DoubleOptin,
        IReadOnlyList<Suppression>? Suppression
    );

    public sealed record Suppression(SuppressionReason Reason, DateTimeOffset Timestamp);

    public enum SuppressionReason
    {
        HardBounce,
        InvalidEmail,
        SpamComplaint,
        Unsubscribe,
        UserSuppressed,
    }

    public enum Channel
    {
        Email,
        Push,
        Sms,
        WhatsApp,
    }

    public sealed record Predictions(
        decimal? HistoricClv,
        decimal? PredictedClv,
        int HistoricNumberOfOrders,
        double? PredictedNumberOfOrders,
        double? AverageDaysBetweenOrders,
        Channel[]? RankedChannelAffinity
    );

    // "datetime" is one word in Klaviyo's JSON; the member's own name still matches it.
    public sealed record Event(
        long Timestamp,
        Dictionary<string, JsonElement>? EventProperties,
        DateTimeOffset DateTime,
        Guid? Uuid
    );

    public enum OptInProcess
    {
        SingleOptIn,
        DoubleOptIn,
    }

    public sealed record KlaviyoList(
        string Name,
        DateTimeOffset Created,
        DateTimeOffset? Updated,
        OptInProcess OptInProcess
    );

    public enum CampaignStatus
    {
        Unknown,
        Draft,
        Scheduled,
        Sent,
        CancelledBillingLimit,
    }

    public sealed record Campaign(
        string Name,
        CampaignStatus Status,
        bool Archived,
        Audiences Audiences,
        SendOptions? SendOptions,
        TrackingOptions? TrackingOptions,
        SendStrategy SendStrategy,
        DateTimeOffset CreatedAt,
        DateTimeOffset? ScheduledAt,
        DateTimeOffset? SendTime
    );

    public sealed record Audiences(IReadOnlyList<string> Included, IReadOnlyList<string> Excluded);

    public sealed record SendOptions(bool? UseSmartSending);

    public sealed record TrackingOptions(bool? AddTrackingParams, bool IsTrackingOpens);

    public sealed record SendStrategy(
        string Method,
        DateTimeOffset? Datetime,
        int? ThrottlePercentage
    );

    public sealed class PushToken
    {
        public required string Token { get; init; }
        public required string Platform { get; init; }
        public string? Vendor { get; init; }
        public required DateTimeOffset Created { get; init; }
        public string? DeviceModel { get; init; }
    }

    // --- get_profiles ---

    [Fact]
    public void Decodes_get_profiles_into_user_records_mapping_snake_case_to_PascalCase()
    {
        var profiles = KlaviyoSamples
            .Document(KlaviyoSamples.GetProfiles)
            .DataAs<Profile>()
            .Right();

        Assert.Equal(2, profiles.Count);
        var (id, sarah) = profiles[0];
        Assert.Equal("01GDDKASAP8TKDDA2GRZDSVP4H", id);
        Assert.Equal("sarah.mason@klaviyo-demo.com", sarah.Email);
        Assert.Equal("+15005550006", sarah.PhoneNumber);
        Assert.Equal("Sarah", sarah.FirstName);
        Assert.Equal("Mason", sarah.LastName);
        Assert.Null(sarah.ExternalId);
        Assert.Equal(new DateTimeOffset(2022, 11, 8, 0, 0, 0, TimeSpan.Zero), sarah.Created);
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 12, 30, 5, 123, TimeSpan.Zero), sarah.Updated);
        Assert.Equal(new DateTimeOffset(2024, 2, 28, 9, 15, 0, TimeSpan.Zero), sarah.LastEventDate);
        Assert.Equal(120, sarah.Properties!["loyalty_points"].GetInt32());
    }

    [Fact]
    public void Accepts_numbers_given_as_strings_and_strings_given_as_numbers()
    {
        var sarah = KlaviyoSamples
            .Document(KlaviyoSamples.GetProfiles)
            .DataAs<Profile>()
            .Right()[0]
            .Attributes;

        Assert.Equal(40.7128, sarah.Location!.Latitude); // "40.7128"
        Assert.Equal(-74.006, sarah.Location.Longitude); // -74.006
        Assert.Equal(27.24m, sarah.PredictiveAnalytics!.PredictedClv); // "27.24"
        Assert.Equal(0.54, sarah.PredictiveAnalytics.PredictedNumberOfOrders); // "0.54"
        Assert.Equal(93.87m, sarah.PredictiveAnalytics.HistoricClv);
        Assert.Equal("10017", sarah.Location.Zip);

        var asText = KlaviyoSamples
            .Document(
                """{"data":{"type":"profile","id":"1","attributes":{"location":{"zip":10017,"city":true}}}}"""
            )
            .Single<Profile>()
            .Right()
            .Attributes.Location!;
        Assert.Equal("10017", asText.Zip);
        Assert.Equal("true", asText.City);
    }

    [Fact]
    public void Tolerates_nulls_missing_fields_and_missing_links()
    {
        var doc = KlaviyoSamples.Document(KlaviyoSamples.GetProfiles);
        var second = doc.DataAs<Profile>().Right()[1];

        Assert.Null(second.Attributes.Email);
        Assert.Null(second.Attributes.FirstName);
        Assert.Null(second.Attributes.LastName); // missing
        Assert.Null(second.Attributes.Location); // null
        Assert.Null(second.Attributes.Subscriptions); // missing
        Assert.Null(second.Attributes.PredictiveAnalytics!.HistoricClv); // null into decimal?
        Assert.Equal(3, second.Attributes.PredictiveAnalytics.HistoricNumberOfOrders); // "3" into int
        Assert.Null(second.Attributes.PredictiveAnalytics.RankedChannelAffinity);
        Assert.Equal(JsonApiLinks.None, second.Links); // no links at all
        Assert.True(second.Relationships.IsEmpty);
    }

    [Fact]
    public void Decodes_nested_objects_arrays_and_enums_in_any_case()
    {
        var sarah = KlaviyoSamples
            .Document(KlaviyoSamples.GetProfiles)
            .DataAs<Profile>()
            .Right()[0]
            .Attributes;

        var marketing = sarah.Subscriptions!.Email!.Marketing!;
        Assert.True(marketing.CanReceiveEmailMarketing);
        Assert.Equal("SUBSCRIBED", marketing.Consent);
        Assert.True(marketing.DoubleOptin);
        var suppression = Assert.Single(marketing.Suppression!);
        Assert.Equal(SuppressionReason.HardBounce, suppression.Reason); // "HARD_BOUNCE"
        Assert.Equal(
            new[] { Channel.Email, Channel.Sms, Channel.WhatsApp }, // "whatsapp"
            sarah.PredictiveAnalytics!.RankedChannelAffinity
        );
    }

    [Fact]
    public void Ignores_fields_the_record_does_not_declare()
    {
        // The sample carries "field_added_in_a_later_revision", "title", "image", "organization"; none is declared.
        var decoded = KlaviyoSamples.Document(KlaviyoSamples.GetProfiles).DataAs<Profile>();

        Assert.True(decoded.IsRight);
    }

    [Fact]
    public void Accepts_exact_member_names_and_camelCase_as_well_as_snake_case()
    {
        var doc = KlaviyoSamples.Document(
            """
            {"data":[
              {"type":"profile","id":"a","attributes":{"FirstName":"Exact","PhoneNumber":"+1"}},
              {"type":"profile","id":"b","attributes":{"firstName":"Camel","phoneNumber":"+2"}},
              {"type":"profile","id":"c","attributes":{"FIRST_NAME":"Upper","phone_number":"+3"}}
            ]}
            """
        );

        var names = doc.DataAs<Profile>()
            .Right()
            .Map(r => (r.Attributes.FirstName, r.Attributes.PhoneNumber));

        Assert.Equal(
            new[] { ("Exact", "+1"), ("Camel", "+2"), ("Upper", "+3") },
            names.Map(n => (n.FirstName!, n.PhoneNumber!)).ToArray()
        );
    }

    // --- get_events ---

    [Fact]
    public void Decodes_get_events_with_integer_timestamps_given_as_numbers_or_strings()
    {
        var events = KlaviyoSamples.Document(KlaviyoSamples.GetEvents).DataAs<Event>().Right();

        Assert.Equal(
            new long[] { 1709294400, 1709298000 },
            events.Map(e => e.Attributes.Timestamp).ToArray()
        );
        Assert.Equal(
            new DateTimeOffset(2024, 3, 1, 12, 0, 0, TimeSpan.Zero),
            events[0].Attributes.DateTime
        );
        Assert.Equal(29.98, events[0].Attributes.EventProperties!["value"].GetDouble());
        Assert.Equal(
            "checkout",
            events[0].Attributes.EventProperties!["$extra"].GetProperty("page").GetString()
        );
        Assert.Equal(Guid.Parse("6b5c6a7a-3f7e-4f8e-9a59-6d6c0b6b1e11"), events[0].Attributes.Uuid);
        Assert.Null(events[1].Attributes.EventProperties);
        Assert.Null(events[1].Attributes.Uuid);
    }

    // --- get_lists ---

    [Fact]
    public void Decodes_get_lists_with_enum_values_in_snake_case_and_upper_case()
    {
        var lists = KlaviyoSamples.Document(KlaviyoSamples.GetLists).DataAs<KlaviyoList>().Right();

        Assert.Equal(new[] { "Newsletter", "VIP" }, lists.Map(l => l.Attributes.Name).ToArray());
        Assert.Equal(OptInProcess.DoubleOptIn, lists[0].Attributes.OptInProcess); // "double_opt_in"
        Assert.Equal(OptInProcess.SingleOptIn, lists[1].Attributes.OptInProcess); // "SINGLE_OPT_IN"
        Assert.Null(lists[1].Attributes.Updated);
        Assert.Equal(JsonApiLinks.None, lists[1].Links); // "links": null
    }

    // --- get_campaigns ---

    [Fact]
    public void Decodes_get_campaigns_including_oneOf_objects_spaced_enum_names_and_nulls_into_non_nullable_members()
    {
        var campaigns = KlaviyoSamples
            .Document(KlaviyoSamples.GetCampaigns)
            .DataAs<Campaign>()
            .Right();

        var spring = campaigns[0].Attributes;
        Assert.Equal("Spring sale", spring.Name);
        Assert.Equal(CampaignStatus.Draft, spring.Status);
        Assert.False(spring.Archived);
        Assert.Equal(new[] { "Y6nRLr" }, spring.Audiences.Included);
        Assert.Empty(spring.Audiences.Excluded);
        Assert.True(spring.SendOptions!.UseSmartSending);
        Assert.True(spring.TrackingOptions!.IsTrackingOpens); // "true"
        Assert.Equal("throttled", spring.SendStrategy.Method);
        Assert.Equal(20, spring.SendStrategy.ThrottlePercentage); // "20"
        Assert.Equal(
            new DateTimeOffset(2024, 4, 1, 15, 0, 0, TimeSpan.Zero),
            spring.SendStrategy.Datetime
        );
        Assert.Equal(new DateTimeOffset(2024, 3, 20, 10, 0, 0, TimeSpan.Zero), spring.CreatedAt);
        Assert.Null(spring.ScheduledAt);

        var friday = campaigns[1].Attributes;
        Assert.Equal(CampaignStatus.CancelledBillingLimit, friday.Status); // "Cancelled: Billing Limit"
        Assert.False(friday.Archived); // null into bool
        Assert.Null(friday.SendOptions!.UseSmartSending);
        Assert.Null(friday.TrackingOptions); // missing
        Assert.Equal("immediate", friday.SendStrategy.Method);
        Assert.Null(friday.SendStrategy.ThrottlePercentage);
    }

    [Fact]
    public void An_unknown_enum_name_maps_to_an_Unknown_member_when_the_enum_has_one()
    {
        var doc = KlaviyoSamples.Document(
            """{"data":{"type":"campaign","id":"c","attributes":{"name":"x","status":"Adding Recipients"}}}"""
        );

        Assert.Equal(CampaignStatus.Unknown, doc.Single<Campaign>().Right().Attributes.Status);
    }

    // --- included ---

    [Fact]
    public void Decodes_included_resources_of_one_type_and_required_members_may_be_missing()
    {
        var doc = KlaviyoSamples.Document(KlaviyoSamples.GetProfiles);

        var token = Assert.Single(doc.IncludedAs<PushToken>("push-token").Right());

        Assert.Equal("PT-9a1", token.Id);
        Assert.Equal("1234567890", token.Attributes.Token);
        Assert.Equal("ios", token.Attributes.Platform);
        Assert.Equal("apns", token.Attributes.Vendor);
        Assert.Equal(
            new DateTimeOffset(2024, 1, 10, 8, 0, 0, TimeSpan.Zero),
            token.Attributes.Created
        );
        Assert.Null(token.Attributes.DeviceModel);

        var sparse = KlaviyoSamples
            .Document("""{"data":{"type":"push-token","id":"p","attributes":{"vendor":"fcm"}}}""")
            .Single<PushToken>()
            .Right();
        Assert.Equal("fcm", sparse.Attributes.Vendor);
        Assert.Null(sparse.Attributes.Token);
    }

    // --- mismatches name their path ---

    [Fact]
    public void A_mismatch_is_a_decode_error_naming_the_full_JSON_path()
    {
        var doc = KlaviyoSamples.Document(
            """
            {"data":[
              {"type":"profile","id":"0","attributes":{"location":{"latitude":"1.5"}}},
              {"type":"profile","id":"1","attributes":{"location":{"latitude":2}}},
              {"type":"profile","id":"2","attributes":{"location":null}},
              {"type":"profile","id":"3","attributes":{"email":"x@example.com","location":{"latitude":{"deg":40,"min":42}}}}
            ]}
            """
        );

        var error = Assert.IsType<KlaviyoError.Decode>(doc.DataAs<Profile>().Left());

        Assert.Contains("$.data[3].attributes.location.latitude", error.Message);
        Assert.Contains("expected a number", error.Message);
        Assert.DoesNotContain("LineNumber", error.Message);
        Assert.Equal(0, error.StatusCode);
    }

    [Fact]
    public void A_string_that_is_not_a_number_is_a_mismatch_and_its_value_stays_out_of_the_message()
    {
        var doc = KlaviyoSamples.Document(
            """{"data":{"type":"profile","id":"1","attributes":{"predictive_analytics":{"historic_number_of_orders":"secret-ish"}}}}"""
        );

        var error = doc.Single<Profile>().Left();

        Assert.Contains(
            "$.data.attributes.predictive_analytics.historic_number_of_orders",
            error.Message
        );
        Assert.Contains("Int32", error.Message);
        Assert.DoesNotContain("secret-ish", error.Message);
    }

    [Fact]
    public void An_array_where_an_object_is_expected_names_its_path()
    {
        var doc = KlaviyoSamples.Document(
            """{"data":[{"type":"campaign","id":"c","attributes":{"name":"x","audiences":[1,2]}}]}"""
        );

        var error = Assert.IsType<KlaviyoError.Decode>(doc.DataAs<Campaign>().Left());

        Assert.Contains("$.data[0].attributes.audiences", error.Message);
    }

    [Fact]
    public void A_mismatch_deep_in_an_array_names_the_index()
    {
        var doc = KlaviyoSamples.Document(
            """{"data":{"type":"profile","id":"1","attributes":{"predictive_analytics":{"ranked_channel_affinity":["email",{"x":1}]}}}}"""
        );

        var error = doc.Single<Profile>().Left();

        Assert.Contains(
            "$.data.attributes.predictive_analytics.ranked_channel_affinity[1]",
            error.Message
        );
    }

    [Fact]
    public void An_unknown_enum_name_is_a_mismatch_when_the_enum_has_no_Unknown_member()
    {
        var doc = KlaviyoSamples.Document(
            """{"data":{"type":"list","id":"l","attributes":{"name":"x","opt_in_process":"triple_opt_in"}}}"""
        );

        var error = doc.Single<KlaviyoList>().Left();

        Assert.Contains("$.data.attributes.opt_in_process", error.Message);
        Assert.Contains("triple_opt_in", error.Message);
    }

    [Fact]
    public void A_mismatch_in_an_included_resource_names_the_included_path()
    {
        var doc = KlaviyoSamples.Document(
            """{"data":null,"included":[{"type":"tag","id":"t"},{"type":"list","id":"l","attributes":{"created":[]}}]}"""
        );

        var error = doc.IncludedAs<KlaviyoList>("list").Left();

        Assert.Contains("$.included[1].attributes.created", error.Message);
    }

    [Fact]
    public void A_date_that_is_not_a_date_is_a_mismatch_and_a_date_with_a_space_is_accepted()
    {
        var bad = KlaviyoSamples.Document(
            """{"data":{"type":"list","id":"l","attributes":{"name":"x","created":"yesterday"}}}"""
        );
        var spaced = KlaviyoSamples.Document(
            """{"data":{"type":"list","id":"l","attributes":{"name":"x","created":"2024-01-02 03:04:05"}}}"""
        );

        Assert.Contains("$.data.attributes.created", bad.Single<KlaviyoList>().Left().Message);
        Assert.Equal(
            new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero),
            spaced.Single<KlaviyoList>().Right().Attributes.Created
        );
    }

    public sealed record Unsupported(IComparable? Value);

    [Fact]
    public void A_type_System_Text_Json_cannot_create_is_a_decode_error_not_an_exception()
    {
        var doc = KlaviyoSamples.Document(
            """{"data":{"type":"x","id":"1","attributes":{"value":1}}}"""
        );

        var error = Assert.IsType<KlaviyoError.Decode>(doc.Single<Unsupported>().Left());

        Assert.Contains("$.data.attributes", error.Message);
    }

    [Fact]
    public void A_decode_error_from_a_response_carries_its_status_headers_and_raw_text()
    {
        var body = """{"data":[{"type":"list","id":"l","attributes":{"name":{"oops":1}}}]}""";
        var response = KlaviyoSamples.Response(200, body, headers: ("RateLimit-Remaining", "149"));

        var error = Assert.IsType<KlaviyoError.Decode>(response.DataAs<KlaviyoList>().Left());

        Assert.Equal(200, error.StatusCode);
        Assert.Equal("149", error.Headers["ratelimit-remaining"].IfNone(""));
        Assert.Equal(body, error.RawText);
        Assert.Contains("$.data[0].attributes.name", error.Message);
    }

    [Fact]
    public void Attributes_null_or_absent_decode_as_an_empty_object()
    {
        var doc = KlaviyoSamples.Document(
            """{"data":[{"type":"list","id":"a","attributes":null},{"type":"list","id":"b"}]}"""
        );

        var lists = doc.DataAs<KlaviyoList>().Right();

        Assert.Equal(new[] { "a", "b" }, lists.Map(l => l.Id!).ToArray());
        Assert.All(lists, l => Assert.Null(l.Attributes.Name));
        Assert.Equal(JsonValueKind.Object, doc.Resources[0].Attributes.ValueKind);
    }

    [Fact]
    public void The_decode_options_are_shared_and_read_only()
    {
        Assert.Same(JsonApi.DecodeOptions, JsonApi.DecodeOptions);
        Assert.True(JsonApi.DecodeOptions.IsReadOnly);
        Assert.Throws<InvalidOperationException>(() => JsonApi.DecodeOptions.WriteIndented = true);
    }

    [Fact]
    public void Custom_serializer_options_can_be_passed_instead()
    {
        var resource = KlaviyoSamples
            .Document("""{"data":{"type":"list","id":"l","attributes":{"Name":"exact only"}}}""")
            .Resources.Head;

        var strict = resource.AttributesAs<KlaviyoList>(new JsonSerializerOptions());

        Assert.Equal("exact only", strict.Right().Name);
    }

    [Fact]
    public void Null_and_blank_strings_give_null_for_nullable_members_and_the_default_otherwise()
    {
        var doc = KlaviyoSamples.Document(
            """{"data":{"type":"profile","id":"1","attributes":{"predictive_analytics":{"historic_number_of_orders":null,"predicted_clv":"","average_days_between_orders":"  ","historic_clv":"12"}}}}"""
        );

        var p = doc.Single<Profile>().Right().Attributes.PredictiveAnalytics!;

        Assert.Equal(0, p.HistoricNumberOfOrders);
        Assert.Null(p.PredictedClv);
        Assert.Null(p.AverageDaysBetweenOrders);
        Assert.Equal(12m, p.HistoricClv);
    }

    [Fact]
    public void A_mismatch_under_an_exact_member_name_still_names_where_it_is()
    {
        var doc = KlaviyoSamples.Document(
            """{"data":{"type":"profile","id":"1","attributes":{"Location":{"Latitude":[1]}}}}"""
        );

        var error = doc.Single<Profile>().Left();

        Assert.Contains("$.data.attributes.Location", error.Message);
        Assert.Contains("Latitude", error.Message);
    }

    public enum Platform
    {
        [System.Text.Json.Serialization.JsonStringEnumMemberName("ios")]
        Apple,
        Android,
    }

    public sealed record Device(Platform Platform, Platform? Fallback);

    [Fact]
    public void Enums_honour_JsonStringEnumMemberName_and_accept_integers()
    {
        var doc = KlaviyoSamples.Document(
            """{"data":[{"type":"push-token","id":"a","attributes":{"platform":"iOS","fallback":1}},{"type":"push-token","id":"b","attributes":{"platform":"ANDROID","fallback":null}}]}"""
        );

        var devices = doc.DataAs<Device>().Right().Map(d => d.Attributes).ToArray();

        Assert.Equal(new Device(Platform.Apple, Platform.Android), devices[0]);
        Assert.Equal(new Device(Platform.Android, null), devices[1]);
    }
}
