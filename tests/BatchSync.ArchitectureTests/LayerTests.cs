using System.Reflection;
using NetArchTest.Rules;

namespace BatchSync.ArchitectureTests;

public class LayerTests
{
    private static readonly Assembly Domain = typeof(BatchSync.Domain.Sync.SyncSession).Assembly;
    private static readonly Assembly Application = typeof(BatchSync.Application.DependencyInjection).Assembly;
    private static readonly Assembly Infrastructure = typeof(BatchSync.Infrastructure.DependencyInjection).Assembly;
    private static readonly Assembly Client = typeof(BatchSync.Client.BatchSyncClient).Assembly;

    public static TheoryData<string, string[]> Rules => new()
    {
        { "Domain", ["BatchSync.Application", "BatchSync.Infrastructure", "BatchSync.Api", "Microsoft.EntityFrameworkCore", "Mediator", "FluentValidation", "Microsoft.AspNetCore"] },
        { "Application", ["BatchSync.Infrastructure", "BatchSync.Api", "Microsoft.EntityFrameworkCore.Sqlite", "Microsoft.Data.Sqlite", "Npgsql", "Microsoft.AspNetCore"] },
        { "Infrastructure", ["BatchSync.Api"] },
        { "Client", ["BatchSync.Domain", "BatchSync.Application", "BatchSync.Infrastructure", "BatchSync.Api", "Microsoft.AspNetCore"] },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void Layer_DependsOnlyInward(string layer, string[] forbidden)
    {
        var assembly = layer switch
        {
            "Domain" => Domain,
            "Application" => Application,
            "Client" => Client,
            _ => Infrastructure,
        };

        var result = Types.InAssembly(assembly).ShouldNot().HaveDependencyOnAny(forbidden).GetResult();

        Assert.True(result.IsSuccessful, $"{layer} depends on: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void DependencyCheck_SeesTheDependenciesThatExist()
    {
        // Guards the rules above against passing because nothing is detected at all.
        Assert.NotEmpty(Types.InAssembly(Infrastructure).That().HaveDependencyOn("BatchSync.Application").GetTypes());
        Assert.NotEmpty(Types.InAssembly(Application).That().HaveDependencyOn("BatchSync.Domain").GetTypes());
    }

    [Fact]
    public void Handlers_AreInternalAndSealed()
    {
        var handlers = Types.InAssembly(Application).That().HaveNameEndingWith("Handler").GetTypes().ToList();

        Assert.NotEmpty(handlers);
        Assert.All(handlers, h => Assert.True(h.IsSealed && !h.IsPublic, h.Name));
    }

    [Fact]
    public void Handlers_HandleOneMessageEach()
    {
        // One handler a class, so that a use case's file holds its own handler and no other's.
        var handlers = Types.InAssembly(Application).That().HaveNameEndingWith("Handler").GetTypes().ToList();

        Assert.NotEmpty(handlers);
        Assert.All(handlers, h => Assert.Single(h.GetInterfaces().Where(IsMessageHandler).Select(i => i.GetGenericArguments()[0]).Distinct()));
    }

    private static bool IsMessageHandler(Type contract) =>
        contract.IsGenericType && contract.Name is "ICommandHandler`2" or "IQueryHandler`2" or "IRequestHandler`2";
}
