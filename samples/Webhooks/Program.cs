// Receives Klaviyo system webhooks: verifies each delivery (raw body, Klaviyo-Signature, Klaviyo-Timestamp), answers
// 200 / 400 / 401, and logs the event topics, never the secret or the body.
//
//   KLAVIYO_WEBHOOK_SECRET=<the webhook's secret_key> dotnet run --project samples/Webhooks -- --urls http://127.0.0.1:5080
//
// While rotating the secret, also set KLAVIYO_WEBHOOK_SECRET_PREVIOUS: deliveries signed with either are accepted.
// With no KLAVIYO_WEBHOOK_SECRET it runs in demo mode with a random secret and prints a signed curl command to try.
using System.Security.Cryptography;
using System.Text;
using Klaviyo;
using Klaviyo.Samples.Webhooks;

var builder = WebApplication.CreateSlimBuilder(args);
var app = builder.Build();

var configured = Environment.GetEnvironmentVariable("KLAVIYO_WEBHOOK_SECRET");
var secret =
    Secret.OrNull(configured) ?? Secret.Of(Convert.ToHexString(RandomNumberGenerator.GetBytes(24)));
var previous = Secret.OrNull(Environment.GetEnvironmentVariable("KLAVIYO_WEBHOOK_SECRET_PREVIOUS"));
var verifier = new WebhookVerifier(previous is null ? [secret] : [secret, previous]);
app.Logger.LogInformation("Verifying Klaviyo webhooks with {Verifier}", verifier);

app.MapKlaviyoWebhook(
    "/webhooks/klaviyo",
    verifier,
    (delivery, ct) =>
    {
        foreach (var e in delivery.Events)
            app.Logger.LogInformation(
                "  {Topic} {ExternalId} at {Time}",
                e.Topic,
                e.ExternalId,
                e.Event.Bind(ev => ev.Attributes.Time).Map(t => t.ToString("O")).IfNone("?")
            );
        // Answer quickly: queue real work (keyed by ExternalId, since Klaviyo may deliver an event twice).
        return Task.CompletedTask;
    }
);

if (configured is null)
    app.Lifetime.ApplicationStarted.Register(() =>
        DemoDelivery.Print(app.Urls.First(), secret, TimeProvider.System.GetUtcNow())
    );

app.Run();

/// <summary>Demo mode: a delivery signed with the random secret, as a curl command (the secret itself is not printed).</summary>
static class DemoDelivery
{
    public static void Print(string baseUrl, Secret secret, DateTimeOffset now)
    {
        var iso = now.UtcDateTime.ToString(
            "yyyy-MM-dd'T'HH:mm:ss'+00:00'",
            System.Globalization.CultureInfo.InvariantCulture
        );
        var body =
            """{"data":[{"topic":"event:klaviyo.sent_sms","external_id":"4L3cwQae2TX","payload":{"data":{"type":"event","id":"4L3cwQae2TX","attributes":{"timestamp":UNIX,"datetime":"ISO","event_properties":{}}}}}],"meta":{"klaviyo_account_id":"AbC123","klaviyo_webhook_id":"01DEMO","timestamp":"ISO"}}"""
                .Replace(
                    "UNIX",
                    now.ToUnixTimeSeconds()
                        .ToString(System.Globalization.CultureInfo.InvariantCulture)
                )
                .Replace("ISO", iso);
        var timestamp = now.UtcDateTime.ToString(
            "r",
            System.Globalization.CultureInfo.InvariantCulture
        );
        var signature = Convert.ToHexStringLower(
            HMACSHA256.HashData(
                Encoding.UTF8.GetBytes(secret.Reveal()),
                Encoding.UTF8.GetBytes(body + timestamp)
            )
        );
        Console.WriteLine(
            $"""

            Demo mode (no KLAVIYO_WEBHOOK_SECRET): a random secret is in use. Within 5 minutes, try:

              curl -i {baseUrl}/webhooks/klaviyo -H 'Content-Type: application/json' \
                -H 'Klaviyo-Webhook-Id: 01DEMO' -H 'Klaviyo-Timestamp: {timestamp}' \
                -H 'Klaviyo-Signature: {signature}' --data-raw '{body}'

            Change a character of the body and it answers 401.

            """
        );
    }
}
