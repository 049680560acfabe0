using System.Text.Json;
using LanguageExt;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Klaviyo.Tests.Composition;

public class RunLoopbackTests
{
    [Fact]
    public async Task RunAsync_sends_a_two_step_LINQ_program_over_real_HTTP_in_order()
    {
        await using var server = await LoopbackServer.StartAsync(
            async (ctx, got) =>
            {
                ctx.Response.ContentType = "application/vnd.api+json";
                if (got.Path == "/api/profiles")
                    await ctx.Response.WriteAsync(
                        """{"data":[{"type":"profile","id":"01HPROFILE"}]}"""
                    );
                else if (got.Path == "/api/profiles/01HPROFILE")
                    await ctx.Response.WriteAsync(
                        """{"data":{"type":"profile","id":"01HPROFILE","attributes":{"email":"ada@example.com"}}}"""
                    );
                else
                    ctx.Response.StatusCode = 404;
            }
        );
        var options = server.Options(new KlaviyoOptions { ApiKey = "pk_test_loopback_key" });

        var program =
            from list in new RequestOperation(HttpMethod.Get, "/api/profiles").WithQuery(
                "page[size]",
                "1"
            )
            let id = list
                .Json.Map(j => j.GetProperty("data")[0].GetProperty("id").GetString()!)
                .IfNone("")
            from profile in PathTemplate.Operation(HttpMethod.Get, "/api/profiles/{id}", id)
            select profile
                .Json.Map(j =>
                    j.GetProperty("data")
                        .GetProperty("attributes")
                        .GetProperty("email")
                        .GetString()!
                )
                .IfNone("");

        var result = await program.RunAsync(options);

        Assert.Equal("ada@example.com", result.IfLeft(e => e.ToString()));
        Assert.Equal(
            ["/api/profiles", "/api/profiles/01HPROFILE"],
            server.Received.Select(r => r.Path).ToArray()
        );
        Assert.Equal("?page%5Bsize%5D=1", server.Received[0].QueryString);
        Assert.All(
            server.Received,
            r => Assert.Equal("Klaviyo-API-Key pk_test_loopback_key", r.Header("authorization"))
        );
    }

    [Fact]
    public async Task RunAsync_stops_after_a_real_404_and_sends_nothing_more()
    {
        await using var server = await LoopbackServer.StartAsync(
            LoopbackServer.Respond(
                404,
                """{"errors":[{"id":"e1","status":404,"code":"not_found","title":"Not found.","detail":"No profile."}]}"""
            )
        );
        var options = server.Options(new KlaviyoOptions { ApiKey = "pk_test_loopback_key" });

        var program =
            from a in new RequestOperation(HttpMethod.Get, "/api/profiles/missing")
            from b in new RequestOperation(HttpMethod.Get, "/api/lists")
            select b.StatusCode;

        var error = (await program.RunAsync(options)).Match(
            _ => throw new Xunit.Sdk.XunitException("expected an error"),
            e => e
        );

        var api = Assert.IsType<KlaviyoError.Api>(error);
        Assert.Equal(404, api.StatusCode);
        Assert.Equal("not_found", api.Errors.Head.Code);
        Assert.Single(server.Received);
    }
}
