using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Xunit;

namespace Klaviyo.Tests;

/// <summary>AddKlaviyo in a real host: settings checked at start, and one place for retries.</summary>
public class AddKlaviyoStartupTests
{
    private static HostApplicationBuilder Builder(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        return builder;
    }

    [Fact]
    public async Task Invalid_settings_fail_when_the_host_starts_naming_every_problem()
    {
        var builder = Builder(
            new()
            {
                ["Klaviyo:ApiKey"] = "pk_startup",
                ["Klaviyo:Retry"] = "sometimes",
                ["Klaviyo:TimeoutSeconds"] = "0",
            }
        );
        builder.Services.AddKlaviyo(builder.Configuration.GetSection("Klaviyo"));
        using var host = builder.Build();

        var thrown = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Klaviyo:Retry must be 'linear', 'exponential' or empty", thrown.Message);
        Assert.Contains("Klaviyo:TimeoutSeconds must be above 0", thrown.Message);
        Assert.DoesNotContain("pk_startup", thrown.Message);
    }

    [Fact]
    public async Task What_the_library_would_refuse_fails_at_start_too()
    {
        var builder = Builder(
            new()
            {
                ["Klaviyo:ApiKey"] = "pk_startup",
                ["Klaviyo:Port"] = "70000",
                ["Klaviyo:Protocol"] = "ftp",
            }
        );
        builder.Services.AddKlaviyo(builder.Configuration.GetSection("Klaviyo"));
        using var host = builder.Build();

        var thrown = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("port must be within 1–65535", thrown.Message);
        Assert.Contains("protocol must be 'https' or 'http'", thrown.Message);
    }

    [Fact]
    public async Task Valid_settings_start()
    {
        var builder = Builder(
            new() { ["Klaviyo:ApiKey"] = "pk_startup", ["Klaviyo:Retry"] = "linear" }
        );
        builder.Services.AddKlaviyo(builder.Configuration.GetSection("Klaviyo"));
        using var host = builder.Build();

        await host.StartAsync();
        await host.StopAsync();
    }

    [Fact]
    public async Task With_a_resilience_handler_the_librarys_retry_steps_aside_with_a_warning()
    {
        var sends = 0;
        await using var server = await LoopbackServer.StartAsync(
            (ctx, req) =>
            {
                Interlocked.Increment(ref sends);
                return LoopbackServer.Respond(503, """{"errors":[]}""")(ctx, req);
            }
        );
        var warnings = new List<string>();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(new CapturingLoggerProvider(warnings)));
        services
            .AddKlaviyo(s =>
            {
                s.ApiKey = "pk_resilience";
                s.Protocol = "http";
                s.Host = "127.0.0.1";
                s.Port = server.Port;
                s.Retry = "linear";
                s.MaxRetries = 3;
            })
            .AddStandardResilienceHandler(o =>
            {
                o.Retry.MaxRetryAttempts = 2;
                o.Retry.Delay = TimeSpan.FromMilliseconds(1);
                o.Retry.BackoffType = DelayBackoffType.Constant;
                o.Retry.UseJitter = false;
            });
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<KlaviyoClient>();

        var thrown = await Assert.ThrowsAsync<KlaviyoException>(() =>
            client.SendAsync(new RequestOperation(HttpMethod.Get, "/api/lists"))
        );

        Assert.Equal(503, Assert.IsType<KlaviyoError.Api>(thrown.Error).StatusCode);
        // 1 send + 2 resilience retries; the library's own 3 retries would have made it 3 × 4 = 12.
        Assert.Equal(3, sends);
        Assert.Contains(warnings, w => w.Contains("Klaviyo:Retry is ignored"));
    }

    private sealed class CapturingLoggerProvider(List<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Capturing(lines);

        public void Dispose() { }

        private sealed class Capturing(List<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(
                LogLevel logLevel,
                EventId eventId,
                TState state,
                Exception? exception,
                Func<TState, Exception?, string> formatter
            )
            {
                if (IsEnabled(logLevel))
                    lock (lines)
                        lines.Add(formatter(state, exception));
            }
        }
    }
}
