using System.Text;
using System.Text.Json;
using LanguageExt;

namespace Klaviyo.Tests;

/// <summary>
/// Response documents shaped after the response schemas of get_profiles, get_events, get_lists and get_campaigns in
/// the 2026-07-15 spec, with what real traffic adds: nulls, numbers as strings, fields the spec does not know,
/// missing links.
/// </summary>
internal static class KlaviyoSamples
{
    public const string GetProfiles = """
        {
          "data": [
            {
              "type": "profile",
              "id": "01GDDKASAP8TKDDA2GRZDSVP4H",
              "attributes": {
                "email": "sarah.mason@klaviyo-demo.com",
                "phone_number": "+15005550006",
                "external_id": null,
                "first_name": "Sarah",
                "last_name": "Mason",
                "organization": "Example Corporation",
                "locale": "en-US",
                "title": "Regional Manager",
                "image": "https://images.pexels.com/photos/3760854/pexels-photo-3760854.jpeg",
                "created": "2022-11-08T00:00:00+00:00",
                "updated": "2024-03-01T12:30:05.123+00:00",
                "last_event_date": "2024-02-28T09:15:00+00:00",
                "location": {
                  "address1": "89 E 42nd St",
                  "address2": "1st floor",
                  "city": "New York",
                  "country": "United States",
                  "latitude": "40.7128",
                  "longitude": -74.006,
                  "region": "NY",
                  "zip": "10017",
                  "timezone": "America/New_York",
                  "ip": "127.0.0.1"
                },
                "properties": { "pseudonym": "Dr. Octopus", "loyalty_points": 120 },
                "subscriptions": {
                  "email": {
                    "marketing": {
                      "can_receive_email_marketing": true,
                      "consent": "SUBSCRIBED",
                      "consent_timestamp": "2023-02-21T20:07:38+00:00",
                      "last_updated": "2023-02-21T20:07:38+00:00",
                      "method": "PREFERENCE_PAGE",
                      "method_detail": "mydomain.com/signup",
                      "custom_method_detail": null,
                      "double_optin": true,
                      "suppression": [
                        { "reason": "HARD_BOUNCE", "timestamp": "2023-02-21T20:07:38+00:00" }
                      ],
                      "list_suppressions": []
                    }
                  }
                },
                "predictive_analytics": {
                  "historic_clv": 93.87,
                  "predicted_clv": "27.24",
                  "total_clv": 121.11,
                  "historic_number_of_orders": 2,
                  "predicted_number_of_orders": "0.54",
                  "average_days_between_orders": null,
                  "average_order_value": 46.94,
                  "churn_probability": 0.66,
                  "expected_date_of_next_order": "2024-05-01T00:00:00+00:00",
                  "ranked_channel_affinity": ["email", "sms", "whatsapp"]
                },
                "field_added_in_a_later_revision": { "nested": [1, 2, 3] }
              },
              "relationships": {
                "lists": {
                  "links": {
                    "self": "https://a.klaviyo.com/api/profiles/01GDDKASAP8TKDDA2GRZDSVP4H/relationships/lists/",
                    "related": "https://a.klaviyo.com/api/profiles/01GDDKASAP8TKDDA2GRZDSVP4H/lists/"
                  }
                },
                "push-tokens": {
                  "data": [{ "type": "push-token", "id": "PT-9a1" }],
                  "links": {
                    "self": "https://a.klaviyo.com/api/profiles/01GDDKASAP8TKDDA2GRZDSVP4H/relationships/push-tokens/",
                    "related": "https://a.klaviyo.com/api/profiles/01GDDKASAP8TKDDA2GRZDSVP4H/push-tokens/"
                  }
                }
              },
              "links": { "self": "https://a.klaviyo.com/api/profiles/01GDDKASAP8TKDDA2GRZDSVP4H/" }
            },
            {
              "type": "profile",
              "id": "01GDDKASAP8TKDDA2GRZDSVP4J",
              "attributes": {
                "email": null,
                "phone_number": "+15005550007",
                "first_name": null,
                "created": "2023-01-02T03:04:05+00:00",
                "location": null,
                "properties": {},
                "predictive_analytics": {
                  "historic_clv": null,
                  "historic_number_of_orders": "3",
                  "ranked_channel_affinity": null
                }
              }
            }
          ],
          "links": {
            "self": "https://a.klaviyo.com/api/profiles/",
            "next": "https://a.klaviyo.com/api/profiles/?page%5Bcursor%5D=bmV4dDo6aWQ6OjQzMjE",
            "prev": null
          },
          "included": [
            {
              "type": "push-token",
              "id": "PT-9a1",
              "attributes": {
                "created": "2024-01-10T08:00:00+00:00",
                "token": "1234567890",
                "enablement_status": "AUTHORIZED",
                "platform": "ios",
                "vendor": "apns",
                "background": "AVAILABLE",
                "recorded_date": "2024-01-10T08:00:00+00:00",
                "metadata": { "device_id": "1234567890", "klaviyo_sdk": "swift", "os_name": "ios" }
              },
              "links": { "self": "https://a.klaviyo.com/api/push-tokens/PT-9a1/" }
            }
          ]
        }
        """;

    public const string GetEvents = """
        {
          "data": [
            {
              "type": "event",
              "id": "4vRpBT2jAbQ",
              "attributes": {
                "timestamp": 1709294400,
                "event_properties": { "value": 29.98, "items": ["sku-1", "sku-2"], "$extra": { "page": "checkout" } },
                "datetime": "2024-03-01T12:00:00+00:00",
                "uuid": "6b5c6a7a-3f7e-4f8e-9a59-6d6c0b6b1e11"
              },
              "relationships": {
                "profile": {
                  "data": { "type": "profile", "id": "01GDDKASAP8TKDDA2GRZDSVP4H" },
                  "links": {
                    "self": "https://a.klaviyo.com/api/events/4vRpBT2jAbQ/relationships/profile/",
                    "related": "https://a.klaviyo.com/api/events/4vRpBT2jAbQ/profile/"
                  }
                },
                "metric": {
                  "data": { "type": "metric", "id": "RnhNWp" },
                  "links": {
                    "self": "https://a.klaviyo.com/api/events/4vRpBT2jAbQ/relationships/metric/",
                    "related": "https://a.klaviyo.com/api/events/4vRpBT2jAbQ/metric/"
                  }
                },
                "attributions": { "data": [] }
              },
              "links": { "self": "https://a.klaviyo.com/api/events/4vRpBT2jAbQ/" }
            },
            {
              "type": "event",
              "id": "4vRpBT2jAbR",
              "attributes": {
                "timestamp": "1709298000",
                "event_properties": null,
                "datetime": "2024-03-01T13:00:00+00:00",
                "uuid": null
              },
              "links": { "self": "https://a.klaviyo.com/api/events/4vRpBT2jAbR/" }
            }
          ],
          "links": { "self": "https://a.klaviyo.com/api/events/", "next": null, "prev": null },
          "meta": { "agent_hints": { "next_steps": ["Filter by metric_id to narrow results"] } },
          "included": [
            {
              "type": "metric",
              "id": "RnhNWp",
              "attributes": {
                "name": "Placed Order",
                "created": "2022-11-08T00:00:00+00:00",
                "updated": "2022-11-08T00:00:00+00:00",
                "integration": { "object": "integration", "id": "0eMvjm", "name": "Shopify", "category": "eCommerce" }
              },
              "links": { "self": "https://a.klaviyo.com/api/metrics/RnhNWp/" }
            },
            {
              "type": "profile",
              "id": "01GDDKASAP8TKDDA2GRZDSVP4H",
              "attributes": { "email": "sarah.mason@klaviyo-demo.com", "first_name": "Sarah" },
              "links": { "self": "https://a.klaviyo.com/api/profiles/01GDDKASAP8TKDDA2GRZDSVP4H/" }
            }
          ]
        }
        """;

    public const string GetLists = """
        {
          "data": [
            {
              "type": "list",
              "id": "Y6nRLr",
              "attributes": {
                "name": "Newsletter",
                "created": "2022-11-08T00:00:00+00:00",
                "updated": "2024-02-01T10:00:00+00:00",
                "opt_in_process": "double_opt_in"
              },
              "relationships": {
                "tags": {
                  "data": [{ "type": "tag", "id": "abcd1234-ef56-gh78-ij90-abcdef123456" }],
                  "links": {
                    "self": "https://a.klaviyo.com/api/lists/Y6nRLr/relationships/tags/",
                    "related": "https://a.klaviyo.com/api/lists/Y6nRLr/tags/"
                  }
                }
              },
              "links": { "self": "https://a.klaviyo.com/api/lists/Y6nRLr/" }
            },
            {
              "type": "list",
              "id": "XkPq7z",
              "attributes": {
                "name": "VIP",
                "created": "2023-05-05T05:05:05+00:00",
                "updated": null,
                "opt_in_process": "SINGLE_OPT_IN"
              },
              "links": null
            }
          ],
          "links": { "self": "https://a.klaviyo.com/api/lists/" },
          "included": [
            {
              "type": "tag",
              "id": "abcd1234-ef56-gh78-ij90-abcdef123456",
              "attributes": { "name": "Seasonal" },
              "links": { "self": "https://a.klaviyo.com/api/tags/abcd1234-ef56-gh78-ij90-abcdef123456/" }
            }
          ]
        }
        """;

    public const string GetCampaigns = """
        {
          "data": [
            {
              "type": "campaign",
              "id": "01HXYZCAMPAIGN0000000000001",
              "attributes": {
                "name": "Spring sale",
                "status": "Draft",
                "archived": false,
                "audiences": { "included": ["Y6nRLr"], "excluded": [] },
                "send_options": { "use_smart_sending": true },
                "tracking_options": {
                  "add_tracking_params": true,
                  "custom_tracking_params": [{ "type": "dynamic", "value": "campaign_id", "name": "utm_id" }],
                  "is_tracking_clicks": true,
                  "is_tracking_opens": "true"
                },
                "send_strategy": {
                  "method": "throttled",
                  "datetime": "2024-04-01T15:00:00+00:00",
                  "throttle_percentage": "20"
                },
                "created_at": "2024-03-20T10:00:00.000000+00:00",
                "scheduled_at": null,
                "updated_at": "2024-03-21T10:00:00+00:00",
                "send_time": null,
                "channel": "email"
              },
              "relationships": {
                "campaign-messages": {
                  "data": [{ "type": "campaign-message", "id": "01HXYZMSG" }],
                  "links": {
                    "self": "https://a.klaviyo.com/api/campaigns/01HXYZCAMPAIGN0000000000001/relationships/campaign-messages/",
                    "related": "https://a.klaviyo.com/api/campaigns/01HXYZCAMPAIGN0000000000001/campaign-messages/"
                  }
                }
              },
              "links": { "self": "https://a.klaviyo.com/api/campaigns/01HXYZCAMPAIGN0000000000001/" }
            },
            {
              "type": "campaign",
              "id": "01HXYZCAMPAIGN0000000000002",
              "attributes": {
                "name": "Black Friday",
                "status": "Cancelled: Billing Limit",
                "archived": null,
                "audiences": { "included": ["Y6nRLr", "XkPq7z"], "excluded": ["Sup123"] },
                "send_options": { "use_smart_sending": null },
                "send_strategy": { "method": "immediate" },
                "created_at": "2023-11-01T10:00:00+00:00",
                "updated_at": "2023-11-24T10:00:00+00:00",
                "send_time": "2023-11-24T09:00:00+00:00"
              },
              "links": { "self": "https://a.klaviyo.com/api/campaigns/01HXYZCAMPAIGN0000000000002/" }
            }
          ],
          "links": {
            "self": "https://a.klaviyo.com/api/campaigns/?filter=equals(messages.channel,'email')",
            "next": "https://a.klaviyo.com/api/campaigns/?filter=equals(messages.channel,'email')&page%5Bcursor%5D=abc"
          }
        }
        """;

    public static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    public static JsonApiDocument Document(string text) =>
        JsonApiDocument
            .Parse(Json(text))
            .Match(d => d, e => throw new Xunit.Sdk.XunitException(e.ToString()));

    /// <summary>A response classified the way the send path classifies one.</summary>
    public static KlaviyoResponse Response(
        int status,
        string body,
        string contentType = "application/vnd.api+json",
        params (string Name, string Value)[] headers
    ) =>
        ResponseClassifier
            .Classify(
                new RawResponse(
                    status,
                    LanguageExt.Prelude.toSeq(headers.Prepend(("Content-Type", contentType))),
                    Encoding.UTF8.GetBytes(body)
                ),
                SystemTextJsonCodec.Default,
                LanguageExt.Seq<Secret>.Empty
            )
            .Match(
                r => r,
                e =>
                    e is KlaviyoError.Api api
                        ? api.Response
                        : throw new Xunit.Sdk.XunitException(e.ToString())
            );

    public static T Right<T>(this Either<KlaviyoError, T> either) =>
        either.Match(v => v, e => throw new Xunit.Sdk.XunitException("expected success, got " + e));

    public static T Value<T>(this Option<T> option) =>
        option.Match(v => v, () => throw new Xunit.Sdk.XunitException("expected Some, got None"));

    public static KlaviyoError Left<T>(this Either<KlaviyoError, T> either) =>
        either.Match(
            v => throw new Xunit.Sdk.XunitException("expected an error, got " + v),
            e => e
        );
}
