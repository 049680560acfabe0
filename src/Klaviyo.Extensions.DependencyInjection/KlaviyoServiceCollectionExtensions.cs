using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
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

    /// <summary>Registers Klaviyo for .NET with settings from code.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the settings.</param>
    public static IHttpClientBuilder AddKlaviyo(
        this IServiceCollection services,
        Action<KlaviyoSettings>? configure = null
    )
    {
        services.AddOptions<KlaviyoSettings>();
        if (configure is not null)
            services.Configure(configure);
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
}
