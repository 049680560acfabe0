using Flurl.Http.Testing;
using Klaviyo.Models;
using LanguageExt;
using Xunit;

namespace Klaviyo.Tests.Core;

/// <summary>
/// Flurl's own test seam, <see cref="HttpTest"/>, on the live interpreter (issue 16 item 4): users who picked Flurl
/// expect <c>using var httpTest = new HttpTest()</c> to fake every call made in its async flow, ours included. It
/// works because the live interpreter sends through <c>IFlurlClient.SendAsync</c>, which asks
/// <c>HttpTest.Current</c> (an async-local) for a faked response before it touches the network. No real server is
/// involved: a call that HttpTest did not intercept would go to a.klaviyo.com and fail these tests.
/// </summary>
public sealed class FlurlHttpTestTests
{
    private const string ApiKey = "pk_httptest_0123456789abcdef";

    private static readonly object ProfilesPage = new
    {
        data = new[]
        {
            new
            {
                type = "profile",
                id = "01HTTPTEST0000000000000001",
                attributes = new { email = "ada@example.com", first_name = "Ada" },
            },
        },
        links = new { self = "https://a.klaviyo.com/api/profiles", next = (string?)null },
    };

    private static Operation<IEnumerable<string?>> Emails =>
        from page in Profiles.GetProfiles(pageSize: 20)
        select page.Data.Select(p => p.Attributes.Email);

    private static T Right<T>(Either<KlaviyoError, T> result) =>
        result.Match(v => v, e => throw new Xunit.Sdk.XunitException(e.Message));

    [Fact]
    public async Task HttpTest_fakes_a_generated_operation_on_a_live_interpreter_and_the_body_decodes()
    {
        using var httpTest = new HttpTest();
        httpTest.RespondWithJson(ProfilesPage);
        using var live = Interpreter.Live();
        var options = new KlaviyoOptions { ApiKey = ApiKey, Client = live };

        var emails = Right(await Emails.RunAsync(options));

        Assert.Equal(["ada@example.com"], emails);
        httpTest
            .ShouldHaveCalled("https://a.klaviyo.com/api/profiles*")
            .WithVerb(HttpMethod.Get)
            // Flurl keeps query names as sent, and the library percent-encodes the brackets.
            .WithQueryParam("page%5Bsize%5D", 20)
            .WithHeader("revision", OperationCatalog.Revision)
            .WithHeader("accept", "application/vnd.api+json")
            .Times(1);
    }

    [Fact]
    public async Task HttpTest_fakes_calls_made_through_KlaviyoClient_on_the_default_interpreter()
    {
        using var httpTest = new HttpTest();
        httpTest.RespondWithJson(ProfilesPage);
        // No Client: the shared default live interpreter, as most users have it.
        var client = new KlaviyoClient(new KlaviyoOptions { ApiKey = ApiKey });

        var page =
            await client.GetModelAsync<GetProfileResponsePluralConversationsCollectionCompoundDocument>(
                Profiles.GetProfiles(pageSize: 20)
            );

        Assert.Equal("ada@example.com", page.Data.Single().Attributes.Email);
        httpTest
            .ShouldHaveCalled("*/api/profiles?page%5Bsize%5D=20")
            .WithHeader("revision", OperationCatalog.Revision)
            .Times(1);
    }

    [Fact]
    public async Task HttpTest_fakes_every_page_of_a_listing_on_a_live_interpreter_over_the_callers_HttpClient()
    {
        using var httpTest = new HttpTest();
        httpTest
            .RespondWithJson(
                new
                {
                    data = new[]
                    {
                        new
                        {
                            type = "profile",
                            id = "01HTTPTEST0000000000000001",
                            attributes = new { email = "first@example.com" },
                        },
                    },
                    links = new
                    {
                        self = "https://a.klaviyo.com/api/profiles",
                        next = "https://a.klaviyo.com/api/profiles?page%5Bcursor%5D=two",
                    },
                }
            )
            .RespondWithJson(ProfilesPage);
        using var httpClient = new HttpClient();
        using var live = Interpreter.Live(httpClient);
        var options = new KlaviyoOptions { ApiKey = ApiKey, Client = live };

        var emails = new List<string?>();
        await foreach (var profile in Profiles.GetProfiles(pageSize: 20).PaginateAsync(options))
            emails.Add(profile.Attributes.Email);

        Assert.Equal(["first@example.com", "ada@example.com"], emails);
        httpTest.ShouldHaveCalled("*/api/profiles?page%5Bcursor%5D=two*").Times(1);
        httpTest.ShouldHaveCalled("*/api/profiles*").Times(2);
    }

    [Fact]
    public async Task A_faked_error_status_comes_back_as_a_KlaviyoError_not_a_Flurl_exception()
    {
        using var httpTest = new HttpTest();
        httpTest.RespondWithJson(
            new
            {
                errors = new[]
                {
                    new
                    {
                        id = "e1",
                        status = 404,
                        code = "not_found",
                        title = "Not found.",
                        detail = "No profile with that id.",
                    },
                },
            },
            404
        );
        using var live = Interpreter.Live();

        var result = await Profiles
            .GetProfile("01HTTPTEST0000000000000404")
            .SendAsync(new KlaviyoOptions { ApiKey = ApiKey, Client = live });

        var error = result.Match(
            r => throw new Xunit.Sdk.XunitException($"expected an error, got {r.StatusCode}"),
            e => e
        );
        var api = Assert.IsType<KlaviyoError.Api>(error);
        Assert.Equal(404, api.Response.StatusCode);
        httpTest.ShouldHaveCalled("*/api/profiles/01HTTPTEST0000000000000404*").Times(1);
    }

    [Fact]
    public async Task Calls_to_other_paths_get_their_own_faked_responses()
    {
        using var httpTest = new HttpTest();
        httpTest.ForCallsTo("*/api/lists*").RespondWithJson(new { data = Array.Empty<object>() });
        httpTest.ForCallsTo("*/api/profiles*").RespondWithJson(ProfilesPage);
        using var live = Interpreter.Live();
        var options = new KlaviyoOptions { ApiKey = ApiKey, Client = live };

        var emails = Right(await Emails.RunAsync(options));
        var lists = Right(await Lists.GetLists().SendAsync(options));

        Assert.Equal(["ada@example.com"], emails);
        Assert.Equal(200, lists.StatusCode);
        httpTest.ShouldHaveCalled("*/api/lists*").Times(1);
        httpTest.ShouldNotHaveCalled("*/api/events*");
    }

    [Fact]
    public async Task Flurls_call_log_holds_the_key_only_in_the_authorization_header_it_was_sent_in()
    {
        using var httpTest = new HttpTest();
        httpTest.RespondWithJson(ProfilesPage);
        using var live = Interpreter.Live();

        Right(
            await Profiles
                .GetProfiles(pageSize: 20)
                .SendAsync(new KlaviyoOptions { ApiKey = ApiKey, Client = live })
        );

        var call = Assert.Single(httpTest.CallLog);
        // Flurl records the request as sent, credential included: that is Flurl's log, in the user's own test
        // (docs/testing-with-fixtures.md says so). Nowhere else in the call does the key appear.
        httpTest.ShouldHaveCalled("*").WithHeader("authorization", $"Klaviyo-API-Key {ApiKey}");
        Assert.DoesNotContain(ApiKey, call.Request.Url.ToString());
        Assert.DoesNotContain(ApiKey, call.ToString());
        Assert.DoesNotContain(ApiKey, call.RequestBody ?? "");
        Assert.All(
            call.Request.Headers.Where(h =>
                !h.Name.Equals("authorization", StringComparison.OrdinalIgnoreCase)
            ),
            h => Assert.DoesNotContain(ApiKey, h.Value)
        );
    }

    [Fact]
    public async Task Nothing_is_faked_once_the_HttpTest_is_disposed()
    {
        await using var server = await LoopbackServer.StartAsync(
            LoopbackServer.Respond(200, """{"data":[]}""")
        );
        using (var httpTest = new HttpTest())
        {
            httpTest.RespondWithJson(ProfilesPage, 201);
            Assert.Equal(201, Right(await Lists.GetLists().SendAsync(server.Options())).StatusCode);
        }

        var after = Right(await Lists.GetLists().SendAsync(server.Options()));

        Assert.Equal(200, after.StatusCode);
        Assert.Single(server.Received);
    }
}
