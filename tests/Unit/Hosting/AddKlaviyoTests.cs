using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Klaviyo.Tests;

public class AddKlaviyoTests
{
    [Fact]
    public async Task AddKlaviyo_binds_configuration_and_sends_through_IHttpClientFactory_logging_without_secrets()
    {
        await using var server = await LoopbackServer.StartAsync(
            LoopbackServer.Respond(200, """{"data":[]}""")
        );
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(
                new Dictionary<string, string?>
                {
                    ["Klaviyo:ApiKey"] = "pk_di_secret_value",
                    ["Klaviyo:Protocol"] = "http",
                    ["Klaviyo:Host"] = "127.0.0.1",
                    ["Klaviyo:Port"] = server.Port.ToString(),
                    ["Klaviyo:Revision"] = "2025-01-15",
                    ["Klaviyo:Headers:x-team"] = "growth",
                }
            )
            .Build();
        var logs = new ListLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        var handlerCalls = 0;
        services
            .AddKlaviyo(configuration.GetSection("Klaviyo"))
            .AddHttpMessageHandler(() =>
                new CountingHandler(() => Interlocked.Increment(ref handlerCalls))
            );
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<KlaviyoClient>();
        var response = await client.SendAsync(new RequestOperation(HttpMethod.Get, "/api/lists"));

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(1, handlerCalls);
        var got = Assert.Single(server.Received);
        Assert.Equal("Klaviyo-API-Key pk_di_secret_value", got.Header("authorization"));
        Assert.Equal("2025-01-15", got.Header("revision"));
        Assert.Equal("growth", got.Header("x-team"));
        Assert.Contains(
            logs.Lines,
            l => l.Contains("Klaviyo request GET http://127.0.0.1:") && l.Contains("/api/lists")
        );
        Assert.Contains(logs.Lines, l => l.Contains("Klaviyo response GET") && l.Contains(": 200"));
        Assert.Contains(logs.Lines, l => l.Contains("Klaviyo-API-Key [REDACTED]"));
        Assert.DoesNotContain(logs.Lines, l => l.Contains("pk_di_secret_value"));
        Assert.DoesNotContain(
            "pk_di_secret_value",
            provider.GetRequiredService<KlaviyoOptions>().ToString()
        );
    }

    [Fact]
    public void An_unknown_retry_strategy_in_configuration_is_a_clear_error()
    {
        var settings = new KlaviyoSettings { Retry = "sometimes", ApiKey = "pk_x_secret" };
        var error = Assert.Throws<InvalidOperationException>(() =>
            settings.ToOptions(Interpreter.Default)
        );
        Assert.Contains("'linear', 'exponential'", error.Message);
        Assert.DoesNotContain("pk_x_secret", settings.ToString());
    }

    [Fact]
    public void Settings_map_to_options()
    {
        var options = new KlaviyoSettings
        {
            Retry = "Exponential",
            MaxRetries = 7,
            TimeoutSeconds = 5,
            RateLimit = true,
        }.ToOptions(Interpreter.Default, new CatalogRateLimiter());
        Assert.Equal(Retry.Exponential, options.Retry);
        Assert.Equal(7, options.RetryOptions.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(5), options.ClientOptions.Timeout);
        Assert.IsType<CatalogRateLimiter>(options.ClientOptions.RateLimiter);
    }

    private sealed class CountingHandler(Action onSend) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(
            HttpRequestMessage request,
            CancellationToken cancellationToken
        )
        {
            onSend();
            return base.SendAsync(request, cancellationToken);
        }
    }
}
