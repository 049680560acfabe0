using Xunit;

namespace Klaviyo.Tests;

/// <summary>
/// The client API (<c>/client/…</c>) is called with the public key in <c>company_id</c>: a private key or access
/// token held in the options must never go with it.
/// </summary>
public class ClientApiTests
{
    private static readonly KlaviyoOptions WithSecrets = new()
    {
        ApiKey = "pk_private_key_must_not_leak",
        AccessToken = "access_token_must_not_leak",
    };

    [Fact]
    public void Every_client_operation_sends_no_credentials_and_every_other_one_does()
    {
        var client = OperationCatalog
            .All.Where(e => e.PathTemplate.StartsWith("/client/"))
            .ToList();
        Assert.Equal(12, client.Count);
        Assert.All(client, e => Assert.Equal("ClientApi", e.Tag));
        foreach (var entry in OperationCatalog.All)
        {
            var method = GeneratedMethods.Primary(
                typeof(ClientApi).Assembly.GetType("Klaviyo." + entry.Tag),
                entry.MethodName
            )!;
            var args = method
                .GetParameters()
                .Select(
                    object? (p) =>
                        p.Name == "companyId" ? "PUBLIC_KEY"
                        : p.Name == "filter" && !p.IsOptional ? SampleFilter.For(entry)
                        : p.ParameterType == typeof(object) ? new { data = new { type = "x" } }
                        : p.ParameterType == typeof(ReadOnlyMemory<byte>)
                            ? new ReadOnlyMemory<byte>([1])
                        : p.IsOptional ? null
                        : TypedArguments.Convert(
                            entry
                                .QueryParameters.Find(q => SpecOperation.Camel(q.Name) == p.Name)
                                .Bind(q => q.AllowedValues.HeadOrNone())
                                .IfNone("value"),
                            p.ParameterType
                        )
                )
                .ToArray();
            // Placeholder bodies: only the credentials matter here.
            var op = ((RequestOperation)method.Invoke(null, args)!).WithoutBodyCheck();
            var request = RequestBuilder
                .Build(op, WithSecrets)
                .Match(
                    r => r,
                    e => throw new Xunit.Sdk.XunitException($"{entry.OperationId}: {e}")
                );

            var isClient = entry.PathTemplate.StartsWith("/client/");
            Assert.Equal(!isClient, op.SendCredentials);
            Assert.Equal(!isClient, request.Authorization is not null);
            if (isClient)
            {
                Assert.Contains("company_id=PUBLIC_KEY", request.Url);
                Assert.DoesNotContain("must_not_leak", request.ToString());
                Assert.DoesNotContain(request.Headers, h => h.Value.Contains("must_not_leak"));
            }
        }
    }

    [Fact]
    public void Client_operations_take_company_id_first_and_require_it()
    {
        var required = OperationCatalog.All.Where(e =>
            e.QueryParameters.Exists(q => q.Name == "company_id" && q.Required)
        );
        foreach (var entry in required)
        {
            var first = GeneratedMethods
                .Primary(typeof(ClientApi), entry.MethodName)!
                .GetParameters()[0];
            Assert.Equal("companyId", first.Name);
            Assert.Equal(typeof(string), first.ParameterType);
            Assert.False(first.IsOptional);
        }
    }

    [Fact]
    public async Task A_client_event_reaches_the_server_without_an_authorization_header()
    {
        await using var server = await LoopbackServer.StartAsync(LoopbackServer.Respond(202));
        var op = ClientApi
            .CreateClientEvent(
                "PUBLIC_KEY",
                new { data = new { type = "event", attributes = new { properties = new { } } } }
            )
            .WithoutBodyCheck();

        var result = await op.SendAsync(server.Options(WithSecrets));

        Assert.True(result.IsRight, result.ToString());
        var got = Assert.Single(server.Received);
        Assert.Equal("POST", got.Method);
        Assert.Equal("/client/events", got.Path);
        Assert.Equal("?company_id=PUBLIC_KEY", got.QueryString);
        Assert.Null(got.Header("authorization"));
        Assert.DoesNotContain(got.Headers, h => h.Value.Contains("must_not_leak"));
        Assert.Equal("application/vnd.api+json", got.Header("content-type"));
        Assert.Equal("2026-07-15", got.Header("revision"));
    }

    [Fact]
    public async Task A_server_operation_sent_the_same_way_does_carry_the_key()
    {
        // The control for the test above: the same options do send credentials to the private API.
        await using var server = await LoopbackServer.StartAsync(LoopbackServer.Respond(202));

        await Events
            .CreateEvent(new { data = new { type = "event" } })
            .WithoutBodyCheck()
            .SendAsync(server.Options(new KlaviyoOptions { ApiKey = "pk_server_key" }));

        Assert.Equal(
            "Klaviyo-API-Key pk_server_key",
            Assert.Single(server.Received).Header("authorization")
        );
    }

    [Fact]
    public void Class_names_say_what_they_are_the_Client_tag_is_ClientApi_and_metadata_is_OperationCatalog()
    {
        var classes = OperationCatalog.All.Select(e => e.Tag).Distinct().ToHashSet();

        Assert.Contains("ClientApi", classes);
        Assert.Contains("Catalogs", classes);
        Assert.DoesNotContain("Client", classes);
        Assert.DoesNotContain("OperationCatalog", classes);
        Assert.Null(typeof(OperationCatalog).Assembly.GetType("Klaviyo.Client"));
        Assert.Null(typeof(OperationCatalog).Assembly.GetType("Klaviyo.Catalog"));
    }
}
