using System.Net.Mail;
using System.Text.Json;
using Klaviyo.Tests.BulkJobs;
using LanguageExt;
using Xunit;
using static LanguageExt.Prelude;

namespace Klaviyo.Tests.DryRun;

/// <summary>The default dry-run answers: documents shaped like each operation's success response in the spec.</summary>
public class SchemaDryRunTests
{
    private const string ApiKey = "pk_live_SCHEMADRY_5e7a91";

    private static readonly KlaviyoOptions Options = new() { ApiKey = ApiKey };

    private static T Right<T>(Either<KlaviyoError, T> result) =>
        result.Match(v => v, e => throw new Xunit.Sdk.XunitException(e.ToString()));

    internal static KlaviyoRequest Build(RequestOperation op) =>
        RequestBuilder
            .Build(op, Options)
            .Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));

    // The operation of a catalog entry with every path parameter filled and, for a JSON body, the example body the
    // command-line tool offers (it names the resource type).
    internal static RequestOperation OperationOf(CatalogEntry entry)
    {
        var op = Generated.Operation(
            entry.OperationId,
            entry.Method,
            entry.PathTemplate,
            [.. entry.PathParameters.Map(p => $"{p}-7")]
        );
        foreach (var q in entry.QueryParameters.Filter(q => q.Required))
            op = op.WithQuery(
                q.Name,
                q.Name == "filter"
                    ? entry
                        .Filters.Filter(f =>
                            f.ValueType == "string"
                            && f.ValueFormat is null
                            && !f.SingleOperators.IsEmpty
                        )
                        .Map(f => $"{f.SingleOperators.Head}({f.Field},'email')")
                        .Head
                    : q
                        .AllowedValues.HeadOrNone()
                        .IfNone(
                            q.Minimum?.ToString(System.Globalization.CultureInfo.InvariantCulture)
                                ?? "x"
                        )
            );
        return RequestBodyShapes.Of(entry.OperationId) is { } shape
            ? op.WithBody(RequestBody.Json(JsonDocument.Parse(shape.Example).RootElement))
            : op;
    }

    private static JsonElement Json(RawResponse response) =>
        JsonDocument.Parse(response.Body).RootElement;

    [Fact]
    public void Every_operation_with_a_JSON_success_response_is_answered_with_a_document_its_typed_response_decodes()
    {
        var responder = DryRunResponder.FromSchema();
        var typed = OperationCatalog
            .All.Where(e => OperationModels.Response(e.OperationId) is not null)
            .ToList();
        var failures = new List<string>();

        foreach (var entry in typed)
        {
            var response = responder.Respond(Build(OperationOf(entry)));
            if (response.StatusCode != entry.SuccessStatus)
                failures.Add($"{entry.OperationId}: status {response.StatusCode}");
            else if (SchemaResponse.SchemaOf(entry.OperationId) is null)
                failures.Add($"{entry.OperationId}: no generated document");
            else
                ModelJson
                    .Decode(OperationModels.Response(entry.OperationId)!, response.Body)
                    .IfLeft(e => failures.Add($"{entry.OperationId}: {e}"));
        }

        Assert.True(typed.Count > 250, $"only {typed.Count} typed responses");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void A_204_operation_is_answered_with_no_body()
    {
        var entry = OperationCatalog
            .Find("delete_list")
            .IfNone(() => throw new KeyNotFoundException());

        var response = DryRunResponder.FromSchema().Respond(Build(OperationOf(entry)));

        Assert.Equal(204, response.StatusCode);
        Assert.True(response.Body.IsEmpty);
    }

    [Fact]
    public async Task A_typed_two_step_pipeline_runs_dry_and_selects_plausible_values()
    {
        var printed = new StringWriter();
        var options = Options with { Client = Interpreter.DryRun(printed) };
        var program =
            from page in Profiles.GetProfiles(pageSize: 20)
            from profile in Profiles.GetProfile(page.Data[0].Id!)
            select (
                Emails: page.Data.Select(p => p.Attributes.Email).ToList(),
                page.Data[0].Id,
                Fetched: profile.Data.Id,
                profile.Data.Attributes.FirstName,
                profile.Data.Attributes.Created
            );

        var seen = Right(await program.RunAsync(options));

        Assert.Equal(2, seen.Emails.Count);
        Assert.All(seen.Emails, e => Assert.True(MailAddress.TryCreate(e, out _), $"{e}"));
        Assert.False(string.IsNullOrEmpty(seen.Id));
        Assert.Equal(seen.Id, seen.Fetched);
        Assert.False(string.IsNullOrEmpty(seen.FirstName));
        Assert.True(seen.Created > new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Contains($"/api/profiles/{seen.Id}", printed.ToString());
    }

    [Fact]
    public async Task Paging_a_list_dry_reads_one_page_and_ends()
    {
        var printed = new StringWriter();
        var options = Options with { Client = Interpreter.DryRun(printed) };

        var profiles = await Profiles
            .GetProfiles(pageSize: 20)
            .PaginateAsync(options)
            .ToListAsync();

        Assert.Equal(2, profiles.Count);
        Assert.NotEqual(profiles[0].Id, profiles[1].Id);
        Assert.Single(printed.ToString().Split("--request 'GET'")[1..]);
    }

    [Fact]
    public void A_list_holds_no_more_resources_than_the_page_size_asks_for()
    {
        var request = Build(Profiles.GetProfiles(pageSize: 1));

        var json = Json(DryRunResponder.FromSchema().Respond(request));

        Assert.Equal(1, json.GetProperty("data").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("links").GetProperty("next").ValueKind);
    }

    [Fact]
    public async Task A_bulk_import_run_dry_polls_no_more_and_reports_no_made_up_errors()
    {
        var clock = new ObservableClock();
        var printed = new StringWriter();
        var options = Options with
        {
            Client = Interpreter.DryRun(printed),
            ClientOptions = Options.ClientOptions with { TimeProvider = clock },
        };

        var summary = Right(
            await Bulk.Jobs(
                    "bulk_import_profiles",
                    BulkTestItems.Profiles(5),
                    new BulkOptions { MaxItems = 2 }
                )
                .RunAsync(options)
        );

        Assert.Equal(3, summary.Jobs.Count);
        Assert.All(summary.Jobs, j => Assert.Equal(BulkJobStatus.Complete, j.Status));
        Assert.Empty(summary.Errors);
        Assert.Empty(clock.Waits);
    }

    [Fact]
    public async Task A_job_read_back_is_complete_without_failures()
    {
        var response = Right(
            await Profiles
                .GetBulkImportProfilesJob("job-9")
                .ToTypedOperation()
                .RunAsync(Options with { Client = Interpreter.DryRun(TextWriter.Null) })
        );

        var data = response.Value.Data;
        Assert.Equal("job-9", data.Id);
        Assert.Equal("complete", data.Attributes.Status.Value);
        Assert.Equal(0, data.Attributes.FailedCount);
        Assert.Equal(data.Attributes.TotalCount, data.Attributes.CompletedCount);
    }

    [Fact]
    public async Task Creations_take_the_type_from_the_body_and_new_ids_in_sequence()
    {
        var options = Options with { Client = Interpreter.DryRun(TextWriter.Null) };
        var body = new { data = new { type = "list", attributes = new { name = "Dry" } } };

        var first = Right(await Lists.CreateList(body).ToTypedOperation().RunAsync(options));
        var second = Right(await Lists.CreateList(body).ToTypedOperation().RunAsync(options));

        Assert.Equal(201, first.StatusCode);
        Assert.Equal("dry-run-1", first.Value.Data.Id);
        Assert.Equal("dry-run-2", second.Value.Data.Id);
        Assert.Equal("list", first.Value.Data.Type.Value);
        Assert.False(string.IsNullOrEmpty(first.Value.Data.Attributes.Name));
    }

    [Fact]
    public void A_single_resource_takes_its_id_from_the_path()
    {
        var request = Build(Catalogs.GetCatalogCategory("cat/7"));

        var data = Json(DryRunResponder.FromSchema().Respond(request)).GetProperty("data");

        Assert.Equal("cat/7", data.GetProperty("id").GetString());
        Assert.Equal("catalog-category", data.GetProperty("type").GetString());
    }

    [Fact]
    public async Task No_secret_appears_in_the_answer_or_the_printed_request()
    {
        const string token = "tok_QUERYSECRET_77e1";
        var printed = new StringWriter();
        var options = Options with { Client = Interpreter.DryRun(printed) };
        var op = Profiles.GetProfiles(pageSize: 2) with
        {
            Query = Profiles.GetProfiles(pageSize: 2).Query.Add(("token", token)),
            Secrets = Seq1(Secret.Of(token)),
        };

        var response = Right(await op.SendAsync(options));

        var answer = response.Json.Map(j => j.GetRawText()).IfNone("");
        Assert.Contains("\"next\":null", answer);
        Assert.Contains("REDACTED", answer);
        foreach (var text in new[] { answer, printed.ToString() })
        {
            Assert.DoesNotContain(token, text);
            Assert.DoesNotContain(ApiKey, text);
        }
    }

    [Fact]
    public void The_same_requests_get_the_same_bytes_from_each_new_responder()
    {
        var requests = new[]
        {
            Build(Profiles.GetProfiles()),
            Build(
                Lists.CreateList(
                    new { data = new { type = "list", attributes = new { name = "A" } } }
                )
            ),
            Build(Catalogs.GetCatalogItem("x")),
        };

        var first = requests.Select(DryRunResponder.FromSchema().Respond).ToList();
        var second = requests.Select(DryRunResponder.FromSchema().Respond).ToList();

        Assert.Equal(
            first.Select(r => Convert.ToHexString(r.Body.Span)),
            second.Select(r => Convert.ToHexString(r.Body.Span))
        );
    }

    [Fact]
    public void A_request_without_an_operation_id_gets_the_minimal_answer()
    {
        var request = Build(new RequestOperation(HttpMethod.Get, "/api/profiles/abc"));

        var schema = DryRunResponder.FromSchema().Respond(request);
        var minimal = DryRunResponder.Minimal().Respond(request);

        Assert.Equal(minimal.Body.ToArray(), schema.Body.ToArray());
        Assert.Equal("{}", Json(schema).GetProperty("data").GetProperty("attributes").GetRawText());
    }

    [Fact]
    public void The_minimal_responder_stays_a_choice_answering_a_list_with_an_empty_page()
    {
        var request = Build(Profiles.GetProfiles());

        var json = Json(DryRunResponder.Minimal().Respond(request));

        Assert.Equal(0, json.GetProperty("data").GetArrayLength());
    }
}
