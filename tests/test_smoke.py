def test_home_renders_without_sessions(client):
    response = client.get("/")
    assert response.status_code == 200
