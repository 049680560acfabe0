using Klaviyo.Models;
using Xunit;

namespace Klaviyo.Tests.Facade;

/// <summary>The plain C# facade hands out plain types: no LanguageExt Option or Either needed to read results.</summary>
public class PlainClientTests
{
    private const string Page = """
        {"data":[{"type":"profile","id":"p1","attributes":{"email":"a@example.com","first_name":"Ann"},
          "relationships":{"lists":{"data":[{"type":"list","id":"l1"}]}}}],
         "included":[{"type":"list","id":"l1","attributes":{"name":"VIP"}}],
         "links":{"self":"https://a.klaviyo.com/api/profiles"}}
        """;

    private static KlaviyoClient Client(StubInterpreter stub) =>
        new(new KlaviyoOptions { ApiKey = "pk_plain_client_0123456789", Client = stub });

    private sealed record ProfileAttributes(string? Email, string? FirstName);

    [Fact]
    public async Task Documents_resources_and_models_come_back_as_plain_values()
    {
        var stub = Interpreter
            .Stub()
            .When(HttpMethod.Get, "/api/profiles")
            .Respond(200, Page, MediaTypes.JsonApi, ("x-request-id", "r-1"));
        var client = Client(stub);

        var document = await client.GetDocumentAsync(Profiles.GetProfiles());
        Assert.True(document.TryFind(new ResourceIdentifier("list", "l1"), out var list));
        Assert.Equal("l1", list.Id);
        Assert.False(document.TryFind(new ResourceIdentifier("list", "nope"), out var none));
        Assert.Null(none);

        var resources = await client.GetResourcesAsync<ProfileAttributes>(Profiles.GetProfiles());
        Assert.Equal("Ann", Assert.Single(resources).Attributes.FirstName);

        var model =
            await client.GetModelAsync<GetProfileResponsePluralConversationsCollectionCompoundDocument>(
                Profiles.GetProfiles()
            );
        Assert.Equal("a@example.com", Assert.Single(model.Data).Attributes.Email);

        var response = await client.SendAsync(Profiles.GetProfiles());
        Assert.True(response.TryGetJson(out var json));
        Assert.Equal("p1", json.GetProperty("data")[0].GetProperty("id").GetString());
        Assert.True(response.Headers.TryGetValue("X-Request-Id", out var id));
        Assert.Equal("r-1", id);
        Assert.False(response.Headers.TryGetValue("x-missing", out var missing));
        Assert.Null(missing);
    }

    [Fact]
    public async Task A_body_that_does_not_fit_throws_KlaviyoException_with_a_decode_error()
    {
        var stub = Interpreter
            .Stub()
            .When(HttpMethod.Get, "/api/profiles")
            .Respond(200, "{\"data\":[1,2]}")
            .When(HttpMethod.Get, "/api/accounts")
            .Respond(204);
        var client = Client(stub);

        var notResources = await Assert.ThrowsAsync<KlaviyoException>(() =>
            client.GetResourcesAsync<ProfileAttributes>(Profiles.GetProfiles())
        );
        Assert.IsType<KlaviyoError.Decode>(notResources.Error);

        var noBody = await Assert.ThrowsAsync<KlaviyoException>(() =>
            client.GetModelAsync<GetAccountResponseCollection>(Accounts.GetAccounts())
        );
        var decode = Assert.IsType<KlaviyoError.Decode>(noBody.Error);
        Assert.Contains("expected a JSON body", decode.Reason);
        Assert.False((await client.SendAsync(Accounts.GetAccounts())).TryGetJson(out _));
    }
}
