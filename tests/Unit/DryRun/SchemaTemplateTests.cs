using System.Text.Json;
using LanguageExt;
using Xunit;
using static LanguageExt.Prelude;

namespace Klaviyo.Tests.DryRun;

/// <summary>
/// The schema-shaped answers written from cached templates are byte for byte the answers of filling a fresh tree of
/// the example document per request (<see cref="TreeSchemaResponse"/>, the first implementation), for every operation
/// and for the requests whose facts change the answer.
/// </summary>
public class SchemaTemplateTests
{
    private const string Token = "tok_TEMPLATESECRET_31c9";

    // Each request of an operation, then variations of it: page sizes (valid, larger than the example, not numbers),
    // ids needing escapes or named like a path keyword, a secret in the query, a creation naming a job type, naming
    // no type, or sending no body.
    private static IEnumerable<KlaviyoRequest> Variations(CatalogEntry entry)
    {
        // The example bodies the command-line tool offers are not all valid requests; the responder does not care.
        var request = SchemaDryRunTests.Build(
            SchemaDryRunTests.OperationOf(entry) with
            {
                SkipBodyCheck = true,
            }
        );
        yield return request;
        foreach (var size in new[] { "1", "5", "0", "abc", "-1" })
        {
            yield return request with
            {
                Query = request.Query.Add(("page[size]", size)),
            };
            yield return request with
            {
                Query = request.Query.Add(("page_size", size)),
            };
        }
        foreach (var id in new[] { "caf%C3%A9%20%E4%B8%AD'%22%3C", "relationships", "a%2Fb" })
            yield return request with
            {
                Path = request.Path.TrimEnd('/') + "/" + id,
            };
        yield return request with
        {
            Query = request.Query.Add(("token", Token)),
            Secrets = request.Secrets.Add(Secret.Of(Token)),
        };
        if (entry.Method == HttpMethod.Post)
        {
            foreach (
                var body in new[] { """{"data":{"type":"made-up-job"}}""", """{"data":{}}""", "[]" }
            )
                yield return request with
                {
                    Content = new RequestContent.Json(JsonDocument.Parse(body).RootElement),
                };
            yield return request with
            {
                Content = RequestContent.None,
            };
        }
    }

    [Fact]
    public void Every_operation_and_variation_gets_the_bytes_the_tree_gave()
    {
        long templateIds = 0;
        long treeIds = 0;
        var failures = new List<string>();
        var compared = 0;

        foreach (var entry in OperationCatalog.All)
        foreach (var request in Variations(entry))
        {
            var fromTemplate = SchemaResponse.For(
                request,
                () => Interlocked.Increment(ref templateIds)
            );
            var fromTree = TreeSchemaResponse.For(
                request,
                () => Interlocked.Increment(ref treeIds)
            );
            compared++;
            if (
                fromTemplate.StatusCode != fromTree.StatusCode
                || fromTemplate.Headers != fromTree.Headers
                || !fromTemplate.Body.Span.SequenceEqual(fromTree.Body.Span)
            )
                failures.Add(
                    $"{entry.OperationId} {request.Path}?{string.Join('&', request.Query.Map(q => $"{q.Name}={q.Value}"))}\n"
                        + $"  tree:     {System.Text.Encoding.UTF8.GetString(fromTree.Body.Span)}\n"
                        + $"  template: {System.Text.Encoding.UTF8.GetString(fromTemplate.Body.Span)}"
                );
        }

        Assert.True(compared > 3000, $"only {compared} requests compared");
        Assert.True(
            failures.Count == 0,
            $"{failures.Count} differ:\n" + string.Join("\n", failures.Take(5))
        );
        Assert.Equal(treeIds, templateIds);
    }

    [Fact]
    public async Task Answers_written_on_many_threads_at_once_are_each_whole_and_the_same()
    {
        var requests = OperationCatalog
            .All.Where(e => SchemaResponse.SchemaOf(e.OperationId) is not null)
            .Where(e => e.Method != HttpMethod.Post)
            .Select(e =>
                SchemaDryRunTests.Build(
                    SchemaDryRunTests.OperationOf(e) with
                    {
                        SkipBodyCheck = true,
                    }
                )
            )
            .ToArray();
        var expected = requests
            .Select(r => Convert.ToHexString(TreeSchemaResponse.For(r, () => 0).Body.Span))
            .ToArray();

        var seen = await Task.WhenAll(
            Enumerable
                .Range(0, 8)
                .Select(worker =>
                    Task.Run(() =>
                        requests
                            .Select((_, i) => (i + worker * 37) % requests.Length)
                            .Select(i =>
                                (
                                    i,
                                    Convert.ToHexString(
                                        SchemaResponse.For(requests[i], () => 0).Body.Span
                                    )
                                )
                            )
                            .ToList()
                    )
                )
        );

        Assert.All(seen.SelectMany(s => s), pair => Assert.Equal(expected[pair.i], pair.Item2));
    }
}
