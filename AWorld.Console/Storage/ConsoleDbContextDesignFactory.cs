using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace AWorld.Console.Storage;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the console.</summary>
public sealed class ConsoleDbContextDesignFactory : IDesignTimeDbContextFactory<ConsoleDbContext>
{
    public ConsoleDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<ConsoleDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
