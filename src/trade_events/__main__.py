from trade_events.cli import app

app(prog_name="trade-events")
