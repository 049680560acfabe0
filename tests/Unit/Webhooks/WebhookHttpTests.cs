using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Xunit;

// Not Klaviyo.Tests.Webhooks: that namespace would hide the generated Webhooks class from the other tests.
namespace Klaviyo.Tests.IncomingWebhooks;

/// <summary>
/// Deliveries posted over real HTTP to a Kestrel receiver on 127.0.0.1 (port 0) built like samples/Webhooks: the
/// raw body is read before anything parses it, verified, decoded, and answered 200 / 400 / 401. The receiver's clock
/// is a <see cref="FakeTimeProvider"/>.
/// </summary>
public sealed class WebhookHttpTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(SignedDelivery.SentAt.AddSeconds(3));
    private readonly ConcurrentQueue<WebhookDelivery> _handled = new();
    private readonly ConcurrentQueue<string> _logged = new();
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    private static readonly WebhookVerifier Verifier = new(
        Secret.Of(SignedDelivery.Secret),
        Secret.Of("previous-secret-0123456789")
    );

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.MapPost("/webhooks/klaviyo", (Func<HttpContext, Task<IResult>>)Receive);
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>The receiver, as in samples/Webhooks/KlaviyoWebhookEndpoints.cs.</summary>
    private async Task<IResult> Receive(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var verification = Verifier.Verify(body, name => context.Request.Headers[name], _clock);
        _logged.Enqueue(verification.ToString());
        switch (verification)
        {
            case WebhookVerification.Valid:
                return WebhookDelivery
                    .Decode(body, context.Request.Headers[WebhookVerifier.WebhookIdHeader])
                    .Match(
                        delivery =>
                        {
                            _handled.Enqueue(delivery);
                            return Results.Ok();
                        },
                        _ => Results.Text("undecodable", statusCode: 400)
                    );
            case WebhookVerification.BadSignature:
                return Results.Text("bad signature", statusCode: 401);
            case WebhookVerification.Stale:
                return Results.Text("stale", statusCode: 401);
            default:
                return Results.Text("malformed", statusCode: 400);
        }
    }

    private async Task<(HttpStatusCode Status, string Text)> Post(
        byte[] body,
        IEnumerable<KeyValuePair<string, string>> headers,
        bool chunked = false
    )
    {
        HttpContent content = chunked
            ? new StreamContent(new MemoryStream(body))
            : new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (chunked)
            content.Headers.ContentLength = null;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/klaviyo")
        {
            Content = content,
        };
        if (chunked)
            request.Headers.TransferEncodingChunked = true;
        foreach (var (name, value) in headers)
            request.Headers.TryAddWithoutValidation(name, value);
        using var response = await _http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_signed_delivery_is_accepted_and_decoded()
    {
        var delivery = SignedDelivery.Sign(SignedDelivery.Json());

        var (status, _) = await Post(delivery.Body, delivery.Headers);

        Assert.Equal(HttpStatusCode.OK, status);
        var handled = Assert.Single(_handled);
        Assert.Equal("event:klaviyo.sent_sms", Assert.Single(handled.Events).Topic);
        Assert.Equal("01JWEBHOOK000000000000TEST", handled.Meta.WebhookId);
    }

    [Fact]
    public async Task The_exact_bytes_are_verified_whatever_their_whitespace_and_encoding()
    {
        // Pretty-printed, non-ASCII, sent chunked: anything that parsed and re-encoded the body would break it.
        var json = SignedDelivery
            .Json()
            .Replace("\"hi\"", "\"héllo 🦀\"")
            .Replace(",\"meta\"", ",\n  \"meta\" ");
        var delivery = SignedDelivery.Sign(json);

        var (status, _) = await Post(delivery.Body, delivery.Headers, chunked: true);

        Assert.Equal(HttpStatusCode.OK, status);
        var properties = Assert
            .Single(_handled)
            .Events.Head.Event.Map(e => e.Attributes.EventProperties!.Value)
            .IfNone(default(System.Text.Json.JsonElement));
        Assert.Equal("héllo 🦀", properties.GetProperty("message_body").GetString());
    }

    [Fact]
    public async Task A_delivery_signed_with_the_previous_secret_is_accepted_while_rotating()
    {
        var delivery = SignedDelivery.Sign(
            SignedDelivery.Json(),
            secret: "previous-secret-0123456789"
        );

        var (status, _) = await Post(delivery.Body, delivery.Headers);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(
            new WebhookVerification.Valid(SignedDelivery.SentAt, 1).ToString(),
            _logged
        );
    }

    [Fact]
    public async Task A_tampered_body_is_refused_with_401()
    {
        var delivery = SignedDelivery.Sign(SignedDelivery.Json());
        var tampered = Encoding.UTF8.GetBytes(
            SignedDelivery.Json().Replace("sent_sms", "clicked_sms")
        );

        var (status, text) = await Post(tampered, delivery.Headers);

        Assert.Equal((HttpStatusCode.Unauthorized, "bad signature"), (status, text));
        Assert.Empty(_handled);
    }

    [Fact]
    public async Task A_tampered_timestamp_is_refused_with_401()
    {
        var delivery = SignedDelivery.Sign(SignedDelivery.Json());
        var headers = delivery.Headers;
        headers["Klaviyo-Timestamp"] = SignedDelivery.HttpDate(SignedDelivery.SentAt.AddSeconds(1));

        var (status, text) = await Post(delivery.Body, headers);

        Assert.Equal((HttpStatusCode.Unauthorized, "bad signature"), (status, text));
    }

    [Fact]
    public async Task A_replayed_delivery_is_refused_with_401_once_the_tolerance_has_passed()
    {
        var delivery = SignedDelivery.Sign(SignedDelivery.Json());
        Assert.Equal(HttpStatusCode.OK, (await Post(delivery.Body, delivery.Headers)).Status);

        _clock.Advance(TimeSpan.FromMinutes(5));
        var (status, text) = await Post(delivery.Body, delivery.Headers);

        Assert.Equal((HttpStatusCode.Unauthorized, "stale"), (status, text));
        Assert.Single(_handled);
    }

    [Fact]
    public async Task A_request_without_the_signature_headers_is_refused_with_400()
    {
        var delivery = SignedDelivery.Sign(SignedDelivery.Json());

        var (status, text) = await Post(delivery.Body, []);

        Assert.Equal((HttpStatusCode.BadRequest, "malformed"), (status, text));
    }

    [Fact]
    public async Task A_signed_delivery_for_another_webhook_id_is_refused_with_400()
    {
        var delivery = SignedDelivery.Sign(SignedDelivery.Json("01JOTHERWEBHOOK"));

        var (status, text) = await Post(delivery.Body, delivery.Headers);

        Assert.Equal((HttpStatusCode.BadRequest, "undecodable"), (status, text));
        Assert.Empty(_handled);
    }
}
