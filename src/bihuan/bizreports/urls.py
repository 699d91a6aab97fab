app_name = "bizreports"
urlpatterns = []
