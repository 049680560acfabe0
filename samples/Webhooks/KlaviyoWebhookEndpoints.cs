using Klaviyo;
using LanguageExt;

namespace Klaviyo.Samples.Webhooks;

/// <summary>
/// The ASP.NET Core side of receiving Klaviyo webhooks, kept in the sample so the library needs no ASP.NET Core
/// dependency. Copy this file into your app, then either map an endpoint in one line:
/// <code>app.MapKlaviyoWebhook("/webhooks/klaviyo", verifier, (delivery, ct) =&gt; Task.CompletedTask);</code>
/// or verify inside your own handler:
/// <code>var (verification, body) = await request.VerifyKlaviyoWebhookAsync(verifier, TimeProvider.System, ct);</code>
/// </summary>
public static class KlaviyoWebhookEndpoints
{
    /// <summary>
    /// Klaviyo batches up to 1,000 events in one request; each is an event as the Get Event API returns it (a few
    /// kilobytes at most), so 8 MiB leaves ample room while bounding what an unauthenticated caller can make the
    /// server buffer.
    /// </summary>
    public const long DefaultMaxBodyBytes = 8 * 1024 * 1024;

    /// <summary>
    /// Reads the raw body (nothing has parsed or bound it: the signature covers these exact bytes) and verifies it
    /// with the request's <c>Klaviyo-Signature</c> and <c>Klaviyo-Timestamp</c> headers against the clock's current
    /// time. A body over <paramref name="maxBodyBytes"/> is not read: the result is <c>Malformed</c> and the body empty.
    /// </summary>
    public static async Task<(
        WebhookVerification Verification,
        byte[] Body
    )> VerifyKlaviyoWebhookAsync(
        this HttpRequest request,
        WebhookVerifier verifier,
        TimeProvider clock,
        CancellationToken cancellationToken = default,
        long maxBodyBytes = DefaultMaxBodyBytes
    )
    {
        var body = await ReadBodyAsync(request, maxBodyBytes, cancellationToken);
        if (body is null)
            return (
                new WebhookVerification.Malformed($"the body is larger than {maxBodyBytes} bytes"),
                []
            );
        // StringValues converts to a string (several values joined with commas), null when absent.
        var verification = verifier.Verify(body, name => request.Headers[name], clock);
        return (verification, body);
    }

    /// <summary>
    /// Maps <c>POST <paramref name="pattern"/></c>: verifies each delivery, decodes it, and calls
    /// <paramref name="handle"/> with it. Answers 200 once <paramref name="handle"/> completes, 401 for a bad
    /// signature or a stale delivery, 400 for a malformed one, 413 for an oversized body; an exception from
    /// <paramref name="handle"/> becomes a 500, so Klaviyo retries. Logs the outcome and the event topics, never the
    /// secret or the body. The clock is the app's <see cref="TimeProvider"/> service, else the system clock.
    /// </summary>
    public static RouteHandlerBuilder MapKlaviyoWebhook(
        this IEndpointRouteBuilder endpoints,
        string pattern,
        WebhookVerifier verifier,
        Func<WebhookDelivery, CancellationToken, Task> handle,
        long maxBodyBytes = DefaultMaxBodyBytes
    ) =>
        endpoints.MapPost(
            pattern,
            async (HttpContext context, ILoggerFactory loggers) =>
            {
                var log = loggers.CreateLogger("Klaviyo.Webhooks");
                var request = context.Request;
                var ct = context.RequestAborted;
                if (request.ContentLength > maxBodyBytes)
                    return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
                var clock =
                    context.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;
                var (verification, body) = await request.VerifyKlaviyoWebhookAsync(
                    verifier,
                    clock,
                    ct,
                    maxBodyBytes
                );
                switch (verification)
                {
                    case WebhookVerification.Valid:
                        break;
                    case WebhookVerification.BadSignature or WebhookVerification.Stale:
                        // The full message helps whoever runs the server; the caller only learns the kind.
                        log.LogWarning("Rejected a Klaviyo webhook: {Verification}", verification);
                        return Results.Text(
                            Kind(verification),
                            statusCode: StatusCodes.Status401Unauthorized
                        );
                    default:
                        log.LogWarning("Rejected a Klaviyo webhook: {Verification}", verification);
                        return Results.Text(
                            Kind(verification),
                            statusCode: StatusCodes.Status400BadRequest
                        );
                }

                var webhookId = (string?)request.Headers[WebhookVerifier.WebhookIdHeader];
                var decoded = WebhookDelivery.Decode(body, webhookId);
                if (decoded.IsLeft)
                {
                    var error = decoded.Match(_ => "", e => e.Message);
                    log.LogWarning(
                        "Rejected a signed Klaviyo webhook that does not decode: {Error}",
                        error
                    );
                    return Results.Text("undecodable", statusCode: StatusCodes.Status400BadRequest);
                }
                var delivery = decoded.Match(d => d, _ => throw new InvalidOperationException());
                log.LogInformation(
                    "Klaviyo webhook {WebhookId}: {Count} event(s): {Topics}",
                    delivery.Meta.WebhookId,
                    delivery.Events.Count,
                    string.Join(
                        ", ",
                        delivery.Events.GroupBy(e => e.Topic).Select(g => $"{g.Key} ×{g.Count()}")
                    )
                );
                await handle(delivery, ct);
                return Results.Ok();
            }
        );

    private static string Kind(WebhookVerification verification) =>
        verification switch
        {
            WebhookVerification.BadSignature => "bad signature",
            WebhookVerification.Stale => "stale",
            _ => "malformed",
        };

    /// <summary>The body, or <c>null</c> when it is longer than <paramref name="max"/> bytes.</summary>
    private static async Task<byte[]?> ReadBodyAsync(
        HttpRequest request,
        long max,
        CancellationToken ct
    )
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > max)
                return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
