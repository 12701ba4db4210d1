using AWorld.Console;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddAWorldConsole(builder.Configuration);

var app = builder.Build();
app.MapAWorldConsole();
app.Run();

/// <summary>Exposed for WebApplicationFactory in the tests.</summary>
public partial class Program;
