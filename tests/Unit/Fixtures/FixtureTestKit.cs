using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LanguageExt;
using Microsoft.AspNetCore.Http;
using static LanguageExt.Prelude;

namespace Klaviyo.Tests.Fixtures;

public static class FixtureTestKit
{
    public const string ApiKey = "pk_FIXTUREKEY_0a1b2c3d4e";

    /// <summary>A server answering each request with a JSON:API document naming the call number, path and query.</summary>
    public static Task<LoopbackServer> NumberedServer()
    {
        var calls = 0;
        return LoopbackServer.StartAsync(
            async (ctx, received) =>
            {
                var n = Interlocked.Increment(ref calls);
                ctx.Response.StatusCode = received.Method == "POST" ? 201 : 200;
                ctx.Response.Headers["x-call"] = n.ToString();
                ctx.Response.ContentType = "application/vnd.api+json";
                var body = JsonSerializer.Serialize(
                    new
                    {
                        data = new
                        {
                            type = "thing",
                            id = $"t{n}",
                            attributes = new
                            {
                                path = received.Path,
                                query = received.QueryString,
                                body = received.BodyText,
                            },
                        },
                    }
                );
                await ctx.Response.WriteAsync(body);
            }
        );
    }

    public static string Call(KlaviyoResponse response) => response.Headers["x-call"].IfNone("");

    public static string Id(KlaviyoResponse response) =>
        response.Json.Map(j => j.GetProperty("data").GetProperty("id").GetString()!).IfNone("");

    public static bool SameJson(KlaviyoResponse a, KlaviyoResponse b) =>
        JsonNode.DeepEquals(JsonNode.Parse(a.Body.ToString()!), JsonNode.Parse(b.Body.ToString()!));

    public static RequestOperation Get(string path, params (string, string)[] query) =>
        new(HttpMethod.Get, path) { Query = toSeq(query) };

    public static RequestOperation PostJson(string path, object body) =>
        new RequestOperation(HttpMethod.Post, path).WithBody(RequestBody.Json(body));

    public static RawResponse Json(int status, string json, params (string, string)[] headers) =>
        new(
            status,
            Seq1(("content-type", "application/vnd.api+json")) + toSeq(headers),
            Encoding.UTF8.GetBytes(json)
        );

    public static JsonElement ReadFixture(string path) =>
        JsonDocument.Parse(System.IO.File.ReadAllText(path)).RootElement;
}
