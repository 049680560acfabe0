using BenchmarkDotNet.Attributes;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo.Benchmarks;

/// <summary>
/// <c>RequestBuilder.Build(operation, options)</c>: a GET with three query parameters, and a POST with a 1 KB JSON:API
/// body. Targets: the GET at most 1 µs and 1 KB allocated.
/// </summary>
[MemoryDiagnoser]
public class BuildBenchmarks
{
    private readonly KlaviyoOptions _options = new() { ApiKey = "pk_benchmark_key" };

    private readonly RequestOperation _get = new(HttpMethod.Get, "/api/profiles")
    {
        Query = Seq(
            ("filter", "equals(email,\"ada@example.com\")"),
            ("fields[profile]", "email,first_name,last_name"),
            ("page[size]", "100")
        ),
    };

    private readonly RequestOperation _post = new(HttpMethod.Post, "/api/profiles")
    {
        Body = RequestBody.Json(
            JsonApi.Document(
                JsonApi
                    .Resource("profile")
                    .Attributes(
                        new ProfileAttributes(
                            "ada@example.com",
                            "+15005550006",
                            "Ada",
                            "Lovelace",
                            "Analytical Engines Ltd",
                            "Mathematician",
                            "https://example.com/images/ada.png",
                            new Location(
                                "12 St James's Square",
                                "Marylebone",
                                "London",
                                "Greater London",
                                "SW1Y 4JH",
                                "United Kingdom",
                                "Europe/London"
                            ),
                            new Dictionary<string, string>
                            {
                                ["favourite_engine"] = "analytical",
                                ["notes"] = new string('x', 502),
                                ["source"] = "benchmark",
                            }
                        )
                    )
            )
        ),
    };

    /// <summary>The size of the POST body, printed once so the table can say what "1 KB" was.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var built = RequestBuilder.Build(_post, _options);
        var bytes = built.Match(
            r => r.Content.ToBytes().Length,
            e => throw new InvalidOperationException(e.Message)
        );
        Console.WriteLine($"// POST body: {bytes} bytes");
    }

    [Benchmark(Description = "Build GET + 3 query parameters")]
    public Either<KlaviyoError, KlaviyoRequest> BuildGet() => RequestBuilder.Build(_get, _options);

    [Benchmark(Description = "Build POST + 1 KB JSON:API body")]
    public Either<KlaviyoError, KlaviyoRequest> BuildPost() =>
        RequestBuilder.Build(_post, _options);

    public sealed record ProfileAttributes(
        string email,
        string phone_number,
        string first_name,
        string last_name,
        string organization,
        string title,
        string image,
        Location location,
        Dictionary<string, string> properties
    );

    public sealed record Location(
        string address1,
        string address2,
        string city,
        string region,
        string zip,
        string country,
        string timezone
    );
}
