using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Klaviyo;

/// <summary>Registers Klaviyo for .NET in a service collection (ASP.NET Core, worker services, generic host).</summary>
public static class KlaviyoServiceCollectionExtensions
{
    /// <summary>The name of the <see cref="HttpClient"/> registered with <c>IHttpClientFactory</c>.</summary>
    public const string HttpClientName = "Klaviyo";

    /// <summary>
    /// Registers <see cref="KlaviyoClient"/> (sending through a named <see cref="HttpClient"/> from
    /// <c>IHttpClientFactory</c>, logged at Debug with secrets redacted) and <see cref="KlaviyoOptions"/>,
    /// with settings bound from <paramref name="configuration"/> (e.g. <c>builder.Configuration.GetSection("Klaviyo")</c>).
    /// Invalid settings fail when the host starts (<c>ValidateOnStart</c>), naming every problem.
    /// </summary>
    /// <example><code>
    /// builder.Services.AddKlaviyo(builder.Configuration.GetSection("Klaviyo"));
    /// // later: public MyService(KlaviyoClient klaviyo) { … }
    /// </code></example>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration section holding <see cref="KlaviyoSettings"/>.</param>
    /// <param name="configure">Further changes to the settings after binding.</param>
    public static IHttpClientBuilder AddKlaviyo(
        this IServiceCollection services,
        IConfiguration configuration,
        Action<KlaviyoSettings>? configure = null
    )
    {
        services.Configure<KlaviyoSettings>(configuration);
        return services.AddKlaviyo(configure);
    }

    /// <summary>Registers Klaviyo for .NET with settings from code; invalid settings fail when the host starts.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the settings.</param>
    public static IHttpClientBuilder AddKlaviyo(
        this IServiceCollection services,
        Action<KlaviyoSettings>? configure = null
    )
    {
        services.AddOptions<KlaviyoSettings>().ValidateOnStart();
        if (configure is not null)
            services.Configure(configure);
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<KlaviyoSettings>, SettingsValidation>()
        );
        services.TryAddSingleton<ResilienceDetector>();
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IHttpMessageHandlerBuilderFilter, ResilienceDetector>(sp =>
                sp.GetRequiredService<ResilienceDetector>()
            )
        );
        services.AddSingleton<CatalogRateLimiter>(_ => new CatalogRateLimiter());
        services.AddTransient<KlaviyoOptions>(sp =>
        {
            var settings = sp.GetRequiredService<IOptionsMonitor<KlaviyoSettings>>().CurrentValue;
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName);
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Klaviyo");
            var options = settings.ToOptions(
                Interpreter.Live(http),
                sp.GetRequiredService<CatalogRateLimiter>()
            );
            var detector = sp.GetRequiredService<ResilienceDetector>();
            if (
                options.Retry is not null
                && !settings.RetryWithResilienceHandler
                && detector.Found is { } handler
            )
            {
                // One place for retries: the HttpClient's own resilience handler already retries each send.
                detector.WarnOnce(logger, handler);
                options = options with { Retry = null };
            }
            return options with
            {
                ClientOptions = options.ClientOptions with
                {
                    Wrappers = options.ClientOptions.Wrappers.Add(inner => new Logging(
                        inner,
                        logger
                    )),
                },
            };
        });
        services.AddTransient<KlaviyoClient>(sp => new KlaviyoClient(
            sp.GetRequiredService<KlaviyoOptions>()
        ));
        return services
            .AddHttpClient(HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() =>
                new SocketsHttpHandler
                {
                    AllowAutoRedirect = false,
                    UseCookies = false,
                    AutomaticDecompression = DecompressionMethods.All,
                }
            );
    }

    private sealed class SettingsValidation : IValidateOptions<KlaviyoSettings>
    {
        public ValidateOptionsResult Validate(string? name, KlaviyoSettings options)
        {
            var problems = options.Problems();
            return problems.Count == 0
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail(problems);
        }
    }
}

/// <summary>
/// Notices a resilience handler (Polly, <c>Microsoft.Extensions.Http.Resilience</c>) in the Klaviyo HttpClient's
/// pipeline, so that retries happen in one place.
/// </summary>
internal sealed partial class ResilienceDetector : IHttpMessageHandlerBuilderFilter
{
    private volatile string? _found;
    private int _warned;

    /// <summary>The resilience handler's type name, once the client was built with one.</summary>
    public string? Found => _found;

    public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next) =>
        builder =>
        {
            next(builder);
            if (builder.Name != KlaviyoServiceCollectionExtensions.HttpClientName)
                return;
            foreach (var handler in builder.AdditionalHandlers)
            {
                var type = handler.GetType().FullName ?? "";
                if (
                    type.StartsWith(
                        "Microsoft.Extensions.Http.Resilience",
                        StringComparison.Ordinal
                    ) || type.StartsWith("Polly", StringComparison.Ordinal)
                )
                    _found = type;
            }
        };

    public void WarnOnce(ILogger logger, string handler)
    {
        // Once per container is enough; the options are built at every resolution.
        if (Interlocked.Exchange(ref _warned, 1) == 0)
            LogRetryOff(logger, handler);
    }

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "Klaviyo:Retry is ignored: the Klaviyo HttpClient has a resilience handler ({Handler}) that already retries each send; retrying in both would multiply the sends (set Klaviyo:RetryWithResilienceHandler to keep both)"
    )]
    private static partial void LogRetryOff(ILogger logger, string handler);
}
