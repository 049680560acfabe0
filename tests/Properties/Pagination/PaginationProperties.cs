using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Klaviyo.Tests;

public class PaginationProperties
{
    [Property(MaxTest = 25)]
    public Property Every_item_is_yielded_once_in_order_with_no_fetch_past_the_last_page() =>
        Prop.ForAll(
            Gen.Choose(0, 40).Zip(Gen.Choose(1, 9)).ToArbitrary(),
            input =>
            {
                var (items, pageSize) = input;
                return Run(items, pageSize).GetAwaiter().GetResult();
            }
        );

    private static async Task<Property> Run(int items, int pageSize)
    {
        await using var server = await PagingServer.StartAsync(items, pageSize);
        var ids = await new RequestOperation(HttpMethod.Get, "/api/profiles")
            .PaginateAsync(server.Options())
            .Select(r => r.Id)
            .ToListAsync();
        var expectedPages = Math.Max(1, (items + pageSize - 1) / pageSize);
        var inOrder = ids.SequenceEqual(Enumerable.Range(0, items).Select(i => $"p{i}"));
        return (inOrder && server.Count == expectedPages).Label(
            $"items={items} size={pageSize} got {ids.Count} ids over {server.Count} requests (expected {expectedPages})"
        );
    }
}
