using System.Text.Json;
using Klaviyo.Models;
using LanguageExt;
using Xunit;

namespace Klaviyo.Tests.Models;

public class RequestBodyCheckTests
{
    private static readonly KlaviyoOptions Options = new() { ApiKey = "pk_test_key" };

    private static object ListBody(object type, object? attributes = null) =>
        new { data = new { type, attributes = attributes ?? new { name = "VIP" } } };

    private static string Problem<T>(Either<KlaviyoError, T> built) =>
        built.Match(
            r => throw new Xunit.Sdk.XunitException($"expected a validation error, got {r}"),
            e => Assert.IsType<KlaviyoError.Validation>(e).Message
        );

    [Fact]
    public void A_wrong_resource_type_names_the_path_and_the_constant()
    {
        var message = Problem(Lists.CreateList(ListBody("lst")).Build(Options));

        Assert.Contains("data.type: expected \"list\", got \"lst\"", message);
    }

    [Fact]
    public void A_top_level_array_for_create_list_is_refused()
    {
        var body = JsonDocument.Parse("[1,2]").RootElement;

        var message = Problem(Lists.CreateList(body).Build(Options));

        Assert.Contains("the body: expected an object, got an array", message);
    }

    [Fact]
    public void A_missing_required_member_and_a_wrong_json_type_are_both_named()
    {
        var message = Problem(
            Lists
                .CreateList(
                    new { data = new { type = "list", attributes = new { opt_in_process = 5 } } }
                )
                .Build(Options)
        );

        Assert.Contains("data.attributes.name: required member missing", message);
        Assert.Contains("data.attributes.opt_in_process: expected", message);
        Assert.Contains("got a number", message);
    }

    [Fact]
    public void A_value_outside_an_enum_lists_the_allowed_ones()
    {
        var message = Problem(
            Lists
                .CreateList(
                    ListBody("list", new { name = "VIP", opt_in_process = "triple_opt_in" })
                )
                .Build(Options)
        );

        Assert.Contains(
            "data.attributes.opt_in_process: expected one of \"double_opt_in\", \"single_opt_in\", got \"triple_opt_in\"",
            message
        );
    }

    [Fact]
    public void A_date_time_that_is_no_date_is_refused()
    {
        var message = Problem(
            Events
                .CreateEvent(
                    new
                    {
                        data = new
                        {
                            type = "event",
                            attributes = new
                            {
                                properties = new { },
                                time = "yesterday",
                                metric = new
                                {
                                    data = new
                                    {
                                        type = "metric",
                                        attributes = new { name = "Ordered" },
                                    },
                                },
                                profile = new
                                {
                                    data = new
                                    {
                                        type = "profile",
                                        attributes = new { email = "a@example.com" },
                                    },
                                },
                            },
                        },
                    }
                )
                .Build(Options)
        );

        Assert.Contains("data.attributes.time: expected a date-time string", message);
        Assert.DoesNotContain("yesterday", message);
    }

    [Fact]
    public void Valid_typed_and_raw_bodies_pass_and_unknown_members_are_allowed()
    {
        var typed = Lists.CreateList(
            new ListCreateQuery(
                new ListCreateQueryResourceObject(
                    new ListCreateQueryResourceObjectAttributes("VIP")
                )
            )
        );
        var raw = Lists.CreateList(
            ListBody("list", new { name = "VIP", added_after_the_spec = true })
        );

        Assert.True(typed.Build(Options).IsRight);
        Assert.True(raw.Build(Options).IsRight);
    }

    [Fact]
    public void WithoutBodyCheck_sends_a_body_newer_than_the_spec_and_keeps_the_operation_typed()
    {
        var op = Lists.CreateList(
            ListBody("list", new { name = "VIP", opt_in_process = "triple_opt_in" })
        );

        RequestOperation<PostListCreateResponse> unchecked_ = op.WithoutBodyCheck();

        Assert.True(op.Build(Options).IsLeft);
        Assert.True(unchecked_.Build(Options).IsRight);
    }

    [Fact]
    public async Task No_interpreter_sends_a_body_the_check_refuses()
    {
        var stub = Interpreter.Stub().WhenAny().Respond(201, "{}");
        var printed = new StringWriter();
        var op = Lists.CreateList(ListBody("lst"));

        var stubbed = await op.SendAsync(Options with { Client = stub });
        var dry = await op.SendAsync(Options with { Client = Interpreter.DryRun(printed) });
        await using var server = await LoopbackServer.StartAsync(LoopbackServer.Respond(201, "{}"));
        var live = await op.SendAsync(server.Options());

        Assert.Contains("data.type", Problem(stubbed));
        Assert.Contains("data.type", Problem(dry));
        Assert.Contains("data.type", Problem(live));
        Assert.Empty(stub.Calls);
        Assert.Equal(0, server.Count);
        Assert.DoesNotContain("/api/lists", printed.ToString());
    }

    [Fact]
    public void A_hand_built_operation_without_an_operation_id_is_not_checked()
    {
        var op = new RequestOperation(HttpMethod.Post, "/api/lists")
        {
            Body = RequestBody.Json(new[] { 1, 2 }),
        };

        Assert.True(op.Build(Options).IsRight);
    }
}
