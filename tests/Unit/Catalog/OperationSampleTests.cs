using System.Text;
using System.Text.Json;
using Xunit;

namespace Klaviyo.Tests;

/// <summary>
/// One or two operations from every tag, built into concrete requests: method, URL (path and query), headers and
/// body as they would go on the wire.
/// </summary>
public class OperationSampleTests
{
    private const string Base = "https://a.klaviyo.com";
    private static readonly KlaviyoOptions Options = new() { ApiKey = "pk_sample_key" };

    // The samples pin the wire shape with minimal bodies; the check of bodies against the spec has its own tests.
    private static KlaviyoRequest Build(RequestOperation op) =>
        RequestBuilder
            .Build(op.WithoutBodyCheck(), Options)
            .Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));

    private static string Json(KlaviyoRequest r) =>
        Encoding.UTF8.GetString(r.Content.ToBytes().Span);

    private static void AssertPlainGet(KlaviyoRequest r, string url)
    {
        Assert.Equal(HttpMethod.Get, r.Method);
        Assert.Equal(url, r.Url);
        Assert.True(r.Content is RequestContent.Empty);
        Assert.True(r.Header("content-type").IsNone);
        Assert.Equal("Klaviyo-API-Key pk_sample_key", (r.Authorization?.Reveal() ?? ""));
        Assert.Equal("2026-07-15", r.Header("revision").IfNone(""));
    }

    private static void AssertJsonBody(KlaviyoRequest r, HttpMethod method, string url, string json)
    {
        Assert.Equal(method, r.Method);
        Assert.Equal(url, r.Url);
        Assert.Equal("application/vnd.api+json", r.Header("content-type").IfNone(""));
        Assert.Equal(json, Json(r));
    }

    [Fact]
    public void Accounts_GetAccount_puts_the_id_in_the_path_and_joins_sparse_fields_with_commas()
    {
        var r = Build(Accounts.GetAccount("AbC 1/2", fieldsAccount: ["timezone", "locale"]));
        AssertPlainGet(r, $"{Base}/api/accounts/AbC%201%2F2?fields%5Baccount%5D=timezone%2Clocale");
        Assert.Equal("get_account", r.OperationId);
    }

    [Fact]
    public void Campaigns_GetCampaigns_sends_the_required_filter_and_the_optional_ones_given()
    {
        var r = Build(
            Campaigns.GetCampaigns(
                "equals(messages.channel,'email')",
                include: ["tags"],
                sort: "-created_at",
                pageSize: 10
            )
        );
        AssertPlainGet(
            r,
            $"{Base}/api/campaigns?filter=equals%28messages.channel%2C%27email%27%29&include=tags&page%5Bsize%5D=10&sort=-created_at"
        );
    }

    [Fact]
    public void Campaigns_DeleteCampaign_is_a_DELETE_without_body()
    {
        var r = Build(Campaigns.DeleteCampaign("c1"));
        Assert.Equal(HttpMethod.Delete, r.Method);
        Assert.Equal($"{Base}/api/campaigns/c1", r.Url);
        Assert.True(r.Content is RequestContent.Empty);
    }

    [Fact]
    public void Catalogs_CreateCatalogItem_posts_the_JSON_API_document()
    {
        var r = Build(
            Catalogs.CreateCatalogItem(
                new { data = new { type = "catalog-item" } },
                fieldsCatalogItem: ["title"]
            )
        );
        AssertJsonBody(
            r,
            HttpMethod.Post,
            $"{Base}/api/catalog-items?fields%5Bcatalog-item%5D=title",
            """{"data":{"type":"catalog-item"}}"""
        );
    }

    [Fact]
    public void Conversations_CreateConversationMessage_posts_its_body()
    {
        var r = Build(
            Conversations.CreateConversationMessage(
                new { data = new { type = "conversation-message" } }
            )
        );
        AssertJsonBody(
            r,
            HttpMethod.Post,
            $"{Base}/api/conversation-messages",
            """{"data":{"type":"conversation-message"}}"""
        );
    }

    [Fact]
    public void Coupons_GetCoupon_and_UpdateCoupon()
    {
        AssertPlainGet(Build(Coupons.GetCoupon("SUMMER")), $"{Base}/api/coupons/SUMMER");
        var update = Build(Coupons.UpdateCoupon("SUMMER", new { data = new { id = "SUMMER" } }));
        AssertJsonBody(
            update,
            HttpMethod.Patch,
            $"{Base}/api/coupons/SUMMER",
            """{"data":{"id":"SUMMER"}}"""
        );
    }

    [Fact]
    public void CustomObjects_GetDataSources_pages_with_cursor_and_size()
    {
        var r = Build(CustomObjects.GetDataSources(pageCursor: "abc==", pageSize: 100));
        AssertPlainGet(r, $"{Base}/api/data-sources?page%5Bcursor%5D=abc%3D%3D&page%5Bsize%5D=100");
    }

    [Fact]
    public void DataPrivacy_RequestProfileDeletion_posts_the_job()
    {
        var body = JsonDocument
            .Parse("""{"data":{"type":"data-privacy-deletion-job"}}""")
            .RootElement;
        var r = Build(DataPrivacy.RequestProfileDeletion(body));
        AssertJsonBody(
            r,
            HttpMethod.Post,
            $"{Base}/api/data-privacy-deletion-jobs",
            """{"data":{"type":"data-privacy-deletion-job"}}"""
        );
        Assert.Equal("request_profile_deletion", r.OperationId);
    }

    [Fact]
    public void Events_GetEvents_with_no_arguments_is_the_bare_collection()
    {
        AssertPlainGet(Build(Events.GetEvents()), $"{Base}/api/events");
        var r = Build(Events.GetEvents(include: ["metric", "profile"], pageSize: 1000));
        AssertPlainGet(r, $"{Base}/api/events?include=metric%2Cprofile&page%5Bsize%5D=1000");
    }

    [Fact]
    public void Flows_GetFlow_with_additional_fields()
    {
        var r = Build(Flows.GetFlow("F1", include: ["tags"], additionalFieldsFlow: ["definition"]));
        AssertPlainGet(
            r,
            $"{Base}/api/flows/F1?additional-fields%5Bflow%5D=definition&include=tags"
        );
    }

    [Fact]
    public void Forms_GetForms_sorted()
    {
        AssertPlainGet(
            Build(Forms.GetForms(sort: "updated_at")),
            $"{Base}/api/forms?sort=updated_at"
        );
    }

    [Fact]
    public void Images_GetImage_and_UploadImageFromUrl()
    {
        AssertPlainGet(
            Build(Images.GetImage("i9", ["name"])),
            $"{Base}/api/images/i9?fields%5Bimage%5D=name"
        );
        var upload = Build(Images.UploadImageFromUrl(new { data = new { type = "image" } }));
        AssertJsonBody(
            upload,
            HttpMethod.Post,
            $"{Base}/api/images",
            """{"data":{"type":"image"}}"""
        );
    }

    [Fact]
    public void Images_UploadImageFromFile_builds_a_multipart_form_with_the_file_name_and_hidden()
    {
        var r = Build(
            Images.UploadImageFromFile(
                new byte[] { 0x89, 0x50, 0x4E, 0x47 },
                "logo.png",
                name: "Logo",
                hidden: true
            )
        );

        Assert.Equal(HttpMethod.Post, r.Method);
        Assert.Equal($"{Base}/api/image-upload", r.Url);
        var contentType = r.Header("content-type").IfNone("");
        Assert.StartsWith("multipart/form-data; boundary=", contentType);
        var text = Encoding.Latin1.GetString(r.Content.ToBytes().Span);
        Assert.Contains(
            "Content-Disposition: form-data; name=\"file\"; filename=\"logo.png\"\r\nContent-Type: image/png\r\n\r\n\u0089PNG\r\n",
            text
        );
        Assert.Contains("Content-Disposition: form-data; name=\"name\"\r\n\r\nLogo\r\n", text);
        Assert.Contains("Content-Disposition: form-data; name=\"hidden\"\r\n\r\ntrue\r\n", text);
    }

    [Fact]
    public void Lists_AddProfilesToList_and_RemoveProfilesFromList_differ_only_in_method()
    {
        var body = new { data = new[] { new { type = "profile", id = "p1" } } };
        var add = Build(Lists.AddProfilesToList("L1", body));
        var remove = Build(Lists.RemoveProfilesFromList("L1", body));
        const string json = """{"data":[{"type":"profile","id":"p1"}]}""";
        AssertJsonBody(add, HttpMethod.Post, $"{Base}/api/lists/L1/relationships/profiles", json);
        AssertJsonBody(
            remove,
            HttpMethod.Delete,
            $"{Base}/api/lists/L1/relationships/profiles",
            json
        );
    }

    [Fact]
    public void Metrics_QueryMetricAggregates_posts_the_query()
    {
        var r = Build(
            Metrics.QueryMetricAggregates(new { data = new { type = "metric-aggregate" } })
        );
        AssertJsonBody(
            r,
            HttpMethod.Post,
            $"{Base}/api/metric-aggregates",
            """{"data":{"type":"metric-aggregate"}}"""
        );
    }

    [Fact]
    public void Profiles_GetProfiles_with_every_kind_of_query_parameter()
    {
        var r = Build(
            Profiles.GetProfiles(
                filter: "equals(email,'a@b.c')",
                fieldsProfile: ["email", "first_name"],
                include: ["push-tokens"],
                sort: "-created",
                pageCursor: "next",
                pageSize: 5,
                additionalFieldsProfile: ["subscriptions"]
            )
        );
        AssertPlainGet(
            r,
            $"{Base}/api/profiles?additional-fields%5Bprofile%5D=subscriptions&fields%5Bprofile%5D=email%2Cfirst_name&filter=equals%28email%2C%27a%40b.c%27%29&include=push-tokens&page%5Bcursor%5D=next&page%5Bsize%5D=5&sort=-created"
        );
    }

    [Fact]
    public void Reporting_QueryCampaignValues_uses_the_reporting_page_cursor()
    {
        var r = Build(
            Reporting.QueryCampaignValues(
                new { data = new { type = "campaign-values-report" } },
                pageCursor: "c2"
            )
        );
        AssertJsonBody(
            r,
            HttpMethod.Post,
            $"{Base}/api/campaign-values-reports?page_cursor=c2",
            """{"data":{"type":"campaign-values-report"}}"""
        );
    }

    [Fact]
    public void Reviews_UpdateReview_patches()
    {
        var r = Build(Reviews.UpdateReview("r1", new { data = new { id = "r1" } }));
        AssertJsonBody(r, HttpMethod.Patch, $"{Base}/api/reviews/r1", """{"data":{"id":"r1"}}""");
    }

    [Fact]
    public void Segments_GetSegment_with_profile_count()
    {
        var r = Build(Segments.GetSegment("S1", additionalFieldsSegment: ["profile_count"]));
        AssertPlainGet(r, $"{Base}/api/segments/S1?additional-fields%5Bsegment%5D=profile_count");
    }

    [Fact]
    public void Tags_DeleteTag_and_GetTags()
    {
        var delete = Build(Tags.DeleteTag("t-1"));
        Assert.Equal(HttpMethod.Delete, delete.Method);
        Assert.Equal($"{Base}/api/tags/t-1", delete.Url);
        AssertPlainGet(Build(Tags.GetTags(pageSize: 50)), $"{Base}/api/tags?page%5Bsize%5D=50");
    }

    [Fact]
    public void Templates_CreateTemplate_posts()
    {
        var r = Build(Templates.CreateTemplate(new { data = new { type = "template" } }));
        AssertJsonBody(
            r,
            HttpMethod.Post,
            $"{Base}/api/templates",
            """{"data":{"type":"template"}}"""
        );
    }

    [Fact]
    public void TrackingSettings_UpdateTrackingSetting_patches()
    {
        var r = Build(
            TrackingSettings.UpdateTrackingSetting("acct", new { data = new { id = "acct" } })
        );
        AssertJsonBody(
            r,
            HttpMethod.Patch,
            $"{Base}/api/tracking-settings/acct",
            """{"data":{"id":"acct"}}"""
        );
    }

    [Fact]
    public void WebFeeds_GetWebFeeds_with_a_page_size()
    {
        AssertPlainGet(
            Build(WebFeeds.GetWebFeeds(pageSize: 20)),
            $"{Base}/api/web-feeds?page%5Bsize%5D=20"
        );
    }

    [Fact]
    public void Webhooks_GetWebhook_including_topics()
    {
        AssertPlainGet(
            Build(Webhooks.GetWebhook("w1", include: ["webhook-topics"])),
            $"{Base}/api/webhooks/w1?include=webhook-topics"
        );
    }

    [Fact]
    public void ClientApi_CreateClientEvent_sends_company_id_and_no_authorization()
    {
        var r = Build(
            ClientApi.CreateClientEvent("PUBLIC1", new { data = new { type = "event" } })
        );
        AssertJsonBody(
            r,
            HttpMethod.Post,
            $"{Base}/client/events?company_id=PUBLIC1",
            """{"data":{"type":"event"}}"""
        );
        Assert.True(r.Authorization is null);
    }

    [Fact]
    public void Every_tag_of_the_catalog_has_a_sample_here()
    {
        var sampled = typeof(OperationSampleTests)
            .GetMethods()
            .Where(m => m.GetCustomAttributes(typeof(FactAttribute), false).Length > 0)
            .Select(m => m.Name.Split('_')[0])
            .ToHashSet();
        var missing = OperationCatalog
            .All.Select(e => e.Tag)
            .Distinct()
            .Where(t => !sampled.Contains(t))
            .ToList();
        Assert.True(missing.Count == 0, "no sample for: " + string.Join(", ", missing));
        Assert.Equal(23, OperationCatalog.All.Select(e => e.Tag).Distinct().Count());
    }
}
